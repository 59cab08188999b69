import { quoteForShell } from '../placeholders/index.ts';
import type { CommandForKey } from './command-lines-for.ts';

/**
 * One key's `pre:` commands and main command as one line for `/bin/sh`, for a platform that runs a
 * single command: each pre step must exit 0 before the next starts, and the main one runs only when
 * all did, as cronplane runs them (the line exits with the failing step's code). An argument list
 * is its words quoted by `word`; a pre step's shell script runs in its own `/bin/sh -c` (as
 * cronplane runs it, so its `exit` or `;` stays its own). A main argument list follows with `&&`; a
 * main shell script follows `|| exit;` as written (passed through `script`), so its own `;`, `||`
 * or trailing comment cannot detach it from the steps. Undefined when the job has no `pre:`.
 */
export function shellLineWithPre(
  command: CommandForKey,
  word: (text: string) => string = quoteForShell,
  script: (text: string) => string = (text) => text,
): string | undefined {
  if (command.pre.length === 0) return undefined;
  const steps = command.pre.map((step) =>
    step.shell ? `/bin/sh -c ${word(step.argv[0] ?? '')}` : step.argv.map(word).join(' '),
  );
  if (command.shell) return `${steps.join(' && ')} || exit; ${script(command.argv[0] ?? '')}`;
  return [...steps, command.argv.map(word).join(' ')].join(' && ');
}
