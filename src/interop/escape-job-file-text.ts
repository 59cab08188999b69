import { placeholderPattern, quoteForShell } from '../placeholders/index.ts';

/**
 * Text from another platform put into a job file so that it reaches the program exactly as it
 * was: the job file substitutes `${VAR}` and reads `$$` as `$` in every string value, so each `$`
 * that stands before `$` or `{` is doubled (`${HOME}` is written `$${HOME}`, the shell's `$$` is
 * written `$$$$`); any other `$` (`$HOME`, `$(date)`) stays as it is.
 */
export function escapeSubstitution(text: string): string {
  return text.replace(/\$(?=[${])/g, '$$$$');
}

/** Every string inside a job-file value escaped with `escapeSubstitution` (keys are never substituted). */
export function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeSubstitution(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, escapeStrings(inner)]));
  }
  return value;
}

/**
 * The `{name}`s in text as it loads that the job file reads as placeholders (`${name}` is the
 * shell's and never one). A command's are made literal by `literalCommand`; an env value has no
 * escape for them, so importers warn.
 */
export function placeholderLookalikes(text: string): string[] {
  return [...text.matchAll(placeholderPattern)].map((match) => match[0]);
}

export interface LiteralBraces {
  readonly script: string;
  /** The `{name}`s that were made literal, in order. */
  readonly names: readonly string[];
}

const braceName = /\{([A-Za-z_][A-Za-z0-9_]*)\}/y;

/**
 * A POSIX shell script whose `{name}` texts are never read as cronplane placeholders: an empty
 * quoted string goes after the brace (`{''name}`, `"{""name}"`), which the shell removes, so the
 * program still sees `{name}`. `${name}` is the shell's own variable and is left alone. The
 * quoting is followed through `'...'`, `"..."` and backslashes; a `{name}` in single quotes nested
 * inside a double-quoted `$(...)` is the one case it reads wrongly (callers warn on each change).
 */
export function literalShellBraces(script: string): LiteralBraces {
  const names: string[] = [];
  let out = '';
  let quoting: 'none' | 'single' | 'double' = 'none';
  for (let index = 0; index < script.length; index++) {
    const c = script[index] as string;
    if (c === '{' && script[index - 1] !== '$') {
      braceName.lastIndex = index;
      const name = braceName.exec(script)?.[1];
      if (name !== undefined) {
        names.push(name);
        out += quoting === 'double' ? '{""' : "{''";
        continue;
      }
    }
    out += c;
    if (quoting === 'single') {
      if (c === "'") quoting = 'none';
    } else if (c === '\\') {
      // The escaped character is never a quote; a `\{name}` still needs its empty string.
      const next = script[index + 1];
      if (next !== undefined && next !== '{') {
        out += next;
        index++;
      }
    } else if (quoting === 'double') {
      if (c === '"') quoting = 'none';
    } else if (c === "'") quoting = 'single';
    else if (c === '"') quoting = 'double';
  }
  return { script: out, names };
}

/** A job's command as an importer writes it: `run` (argv or a shell line) and `shell`. */
export interface ImportedCommand {
  readonly run: string | readonly string[];
  readonly shell: boolean;
}

export interface LiteralCommand extends ImportedCommand {
  /** The `{name}`s that were made literal, in order; empty when the command is unchanged. */
  readonly names: readonly string[];
}

/**
 * The one escape every importer uses for a command whose text holds `{name}` the program must
 * receive as written: a shell line gets `literalShellBraces`; an argument list holding one becomes
 * a shell line of its words quoted for `/bin/sh` (`quoteForShell`), with the same escape, since an
 * argument list has no way to say a literal `{name}`. Works on text already escaped with
 * `escapeSubstitution` (`$${VAR}` is never a placeholder, so it is left alone).
 */
export function literalCommand(command: ImportedCommand): LiteralCommand {
  if (typeof command.run === 'string') {
    if (!command.shell) {
      if (placeholderLookalikes(command.run).length === 0) return { ...command, names: [] };
      const literal = literalShellBraces(command.run.split(/\s+/).map(quoteForShell).join(' '));
      return { run: literal.script, shell: true, names: literal.names };
    }
    const literal = literalShellBraces(command.run);
    return { run: literal.script, shell: true, names: literal.names };
  }
  if (!command.run.some((word) => placeholderLookalikes(word).length > 0)) return { ...command, names: [] };
  const literal = literalShellBraces(command.run.map(quoteForShell).join(' '));
  return { run: literal.script, shell: true, names: literal.names };
}

/** The warning an importer gives for a command `literalCommand` changed: `[message, action]`. */
export function literalCommandNote(names: readonly string[]): [string, string] {
  return [
    `${names.map((name) => `{${name}}`).join(', ')} would be read as a cronplane placeholder`,
    `written ${names.map((name) => `{''${name}}`).join(', ')} in a shell line, so the program still gets the braces; check the line`,
  ];
}
