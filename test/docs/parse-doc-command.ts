/**
 * Parses a doc command's arguments with the real `cronplane` program (src/cli/main.ts), every
 * action replaced by nothing: an unknown command or option, a missing argument or a value an
 * option refuses comes back as commander's message, and nothing runs.
 */
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/main.ts';

/** Commander's message when the words do not parse; undefined when they do. */
export async function parseProblem(args: readonly string[]): Promise<string | undefined> {
  const errors: string[] = [];
  const program = buildProgram(
    { out: () => {}, err: (line) => errors.push(line), env: {}, cwd: '/', isTty: false },
    { code: 0 },
  );
  stubActions(program);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return undefined;
  } catch (thrown) {
    if (!(thrown instanceof CommanderError)) throw thrown;
    if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(thrown.code))
      return undefined;
    return errors.join('\n') || thrown.message;
  }
}

function stubActions(command: Command): void {
  command.action(() => {});
  for (const subcommand of command.commands) stubActions(subcommand);
}

/** The command a usage line is about (`token create`), and the options it names that it lacks. */
export function synopsisProblems(words: readonly string[]): string[] {
  const program = buildProgram(
    { out: () => {}, err: () => {}, env: {}, cwd: '/', isTty: false },
    { code: 0 },
  );
  let command: Command = program;
  let rest = [...words];
  for (;;) {
    const next = command.commands.find((candidate) => candidate.name() === rest[0]);
    if (next === undefined) break;
    command = next;
    rest = rest.slice(1);
  }
  if (command === program) return [`no command ${JSON.stringify(words[0])}`];
  const named = rest.flatMap((word) => /^\[?(--?[\w-]+)/.exec(word)?.[1] ?? []);
  const known = new Set(
    [...command.options, ...(command.parent?.options ?? [])].flatMap((option) => [option.long, option.short]),
  );
  known.add('--help').add('-h');
  return named
    .filter((option) => !known.has(option))
    .map((option) => `cronplane ${command.name()} has no option ${option}`);
}
