import { parse as splitShellWords } from 'shell-quote';
import type { Report } from './config-problems.ts';

/** A command string is split like a shell would (quotes, escapes) but no shell runs it. */
export function splitCommand(
  command: string | readonly string[],
  shell: boolean,
  fieldPath: readonly PropertyKey[],
  report: Report,
): { argv: string[]; shell: boolean } {
  if (shell) return { argv: [typeof command === 'string' ? command : command.join(' ')], shell: true };
  if (typeof command !== 'string') return { argv: [...command], shell: false };
  // Words of plain characters one space apart split the same without the shell-word parser
  // (most command lines; the parser was a fifth of resolving 100,000 jobs).
  if (plainWords.test(command)) return { argv: command.split(' '), shell: false };
  const words = splitShellWords(command, (name) => `$${name}`);
  const argv: string[] = [];
  for (const word of words) {
    if (typeof word === 'string') {
      argv.push(word);
      continue;
    }
    const syntax =
      'op' in word ? (word.op === 'glob' ? `the pattern ${word.pattern}` : `"${word.op}"`) : 'a comment';
    report(
      fieldPath,
      `the command contains shell syntax (${syntax}); set shell: true to run it through /bin/sh, or write it without`,
    );
    return { argv, shell: false };
  }
  if (argv.length === 0) report(fieldPath, 'the command is empty');
  return { argv, shell: false };
}

/** Words of characters no shell treats specially (no quote, escape, `$`, glob, comment, operator), one space apart. */
const plainWords = /^[\w\-./:=,@%+{}]+(?: [\w\-./:=,@%+{}]+)*$/;
