/**
 * One `ExecStart=`-style command line as systemd.service(5) reads it: special prefixes (`-` a
 * failure is ignored, `@` the second word is argv[0], `:` no variable expansion, `+` `!` `!!`
 * privileges, `|` a login shell), the words unquoted and unescaped, `%` specifiers, and `$NAME`
 * (a word of its own: split at whitespace) / `${NAME}` (in place, one word) from the environment.
 */
import { quoteForShell } from '../../placeholders/index.ts';
import { splitUnitWords } from './split-unit-words.ts';

/** A piece of one argument: text, or a variable systemd expands. */
export type WordPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string; readonly split: boolean };

export interface ExecCommand {
  /** Each argument as its parts. */
  readonly words: readonly (readonly WordPart[])[];
  /** `-`: systemd counts a failure of this command as success. */
  readonly ignoreFailure: boolean;
  /** Prefixes without a counterpart (`@`, `+`, `!`, `!!`, `|`) and what each did. */
  readonly notes: readonly string[];
}

export interface UnitNames {
  /** `backup.service`, `pg_dump@main.service`. */
  readonly unitName: string;
}

/** Reads a command line; throws a plain Error (the caller adds the place) when it cannot. */
export function parseExecCommand(value: string, names: UnitNames, specifierNotes: string[]): ExecCommand {
  const prefix = /^[-@:+!|]*/.exec(value)?.[0] ?? '';
  const notes: string[] = [];
  if (prefix.includes('+') || prefix.includes('!')) {
    notes.push(`the prefix "${prefix.replace(/[-@:|]/g, '')}" runs it with full privileges`);
  }
  if (prefix.includes('|')) notes.push('the prefix "|" runs it through the user\'s login shell');
  let words = splitUnitWords(value.slice(prefix.length));
  if (words.length === 0) throw new Error('the command line is empty');
  if (prefix.includes('@')) {
    notes.push(`the prefix "@" passes "${words[1] ?? ''}" as argv[0]`);
    words = [words[0] as string, ...words.slice(2)];
  }
  words = words.map((word) => resolveSpecifiers(word, names, specifierNotes));
  const expand = !prefix.includes(':');
  return {
    words: words.map((word) => (expand ? wordParts(word) : [{ kind: 'text', text: word }])),
    ignoreFailure: prefix.includes('-'),
    notes,
  };
}

/** The argument vector when no variable is expanded; undefined when one is. */
export function literalArgv(command: ExecCommand): string[] | undefined {
  const argv: string[] = [];
  for (const parts of command.words) {
    if (parts.some((part) => part.kind === 'variable')) return undefined;
    argv.push(parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''));
  }
  return argv;
}

/** The command as a `/bin/sh` line that expands its variables as systemd would. */
export function shellLine(command: ExecCommand): string {
  return command.words
    .map((parts) =>
      parts
        .map((part) => {
          if (part.kind === 'text') return quoteForShell(part.text);
          return part.split ? `$${part.name}` : `"\${${part.name}}"`;
        })
        .join(''),
    )
    .join(' ');
}

function wordParts(word: string): WordPart[] {
  const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
  if (whole !== null) return [{ kind: 'variable', name: whole[1] as string, split: true }];
  const parts: WordPart[] = [];
  let text = '';
  for (let index = 0; index < word.length; index++) {
    const rest = word.slice(index);
    const variable = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest);
    if (variable !== null) {
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'variable', name: variable[1] as string, split: false });
      index += variable[0].length - 1;
    } else if (rest.startsWith('$$')) {
      text += '$';
      index++;
    } else {
      text += word[index];
    }
  }
  if (text !== '' || parts.length === 0) parts.push({ kind: 'text', text });
  return parts;
}

/**
 * `%%`, and the specifiers the unit's name gives (`%n` `%N` `%p` `%i` `%I`); any other stays as
 * written and is noted (it names the machine or the runtime: `%h`, `%H`, `%t`...).
 */
export function resolveSpecifiers(text: string, names: UnitNames, notes: string[]): string {
  const full = names.unitName;
  const withoutSuffix = full.replace(/\.[^.]+$/, '');
  const at = withoutSuffix.indexOf('@');
  const prefix = at < 0 ? withoutSuffix : withoutSuffix.slice(0, at);
  const instance = at < 0 ? '' : withoutSuffix.slice(at + 1);
  const known: Readonly<Record<string, string>> = {
    '%': '%',
    n: full,
    N: withoutSuffix,
    p: prefix,
    P: prefix,
    ...(instance === '' ? {} : { i: instance, I: instance }),
  };
  return text.replace(/%(.)/g, (whole, letter: string) => {
    const value = known[letter];
    if (value !== undefined) return value;
    if (!notes.includes(whole)) notes.push(whole);
    return whole;
  });
}
