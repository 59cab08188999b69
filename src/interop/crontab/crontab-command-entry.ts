import { quoteForShell } from '../../placeholders/index.ts';
import { literalCommandNote, literalShellBraces } from '../escape-job-file-text.ts';
import { splitCronCommand } from './split-cron-command.ts';

/** What a crontab command becomes in a job entry, and the notes on how it was carried. */
export interface CommandEntry {
  /** `{ run }`, `{ run, shell: true }` or `{ run: [SHELL, -c, script] }`. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly notes: readonly { readonly message: string; readonly action: string }[];
}

/** A command cronplane can split itself: words of plain characters only, nothing a shell would read. */
const plain = /^[A-Za-z0-9_@%+=:,./ \t-]+$/;

/**
 * A crontab command as a job runs it. cron hands the command to `$SHELL -c` (`/bin/sh` unless the
 * crontab sets `SHELL`), so it stays a shell line: `shell: true` (cronplane's `/bin/sh -c`), or
 * `[SHELL, -c, line]` for another shell; a line of plain words is written as a plain command. The
 * standard input after `%` is piped in with `printf`, since a job has no standard-input setting.
 */
export function crontabCommandEntry(line: string, shell: string | undefined): CommandEntry {
  const notes: { message: string; action: string }[] = [];
  const { command, stdin } = splitCronCommand(line);
  let script = command.trimEnd();
  if (stdin !== undefined) {
    script = `printf '%s' ${quoteForShell(stdin)} | {\n${script}\n}`;
    notes.push({
      message:
        'a "%" in the command starts its standard input (later ones are newlines); a job has no standard-input setting',
      action: 'the text is piped into the command with printf in a shell line',
    });
  }
  const literal = literalShellBraces(script);
  if (literal.names.length > 0) {
    script = literal.script;
    const [message, action] = literalCommandNote(literal.names);
    notes.push({ message, action });
  }
  if (/(^|[\s;&|({])run-parts(\s|$)/.test(command)) {
    notes.push({
      message:
        'run-parts runs every executable file in its folder, in name order; the scripts are not imported one by one',
      action: 'kept as one job running run-parts',
    });
  }
  if (shell !== undefined && !/^(\/bin\/|\/usr\/bin\/)?sh$/.test(shell))
    return { fields: { run: [shell, '-c', script] }, notes };
  // `A=1 cmd` is an assignment to a shell, a program named `A=1` without one.
  const isPlain = plain.test(script) && !/^\s*[^\s=]*=/.test(script);
  return { fields: isPlain ? { run: script } : { run: script, shell: true }, notes };
}
