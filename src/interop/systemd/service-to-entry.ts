/**
 * A service's `[Service]` section as job-file keys: the command (`run`, `shell`, `condition`),
 * where and as whom it runs, its environment, limits, timeout, retry and exit codes, with a
 * warning for each setting that is not carried exactly.
 */
import { formatDuration } from '../../calendar/index.ts';
import { parseCpuQuota, parseSize } from '../../config/index.ts';
import { coerceError } from '../../errors/index.ts';
import { ImportProblemsError } from '../import-problems.ts';
import {
  escapeSubstitution,
  literalCommand,
  literalCommandNote,
  placeholderLookalikes,
} from '../escape-job-file-text.ts';
import type { ExecCommand, UnitNames } from './exec-command.ts';
import { literalArgv, parseExecCommand, resolveSpecifiers, shellLine } from './exec-command.ts';
import type { UnitEntry, UnitFile } from './parse-unit-file.ts';
import { lastEntry, listEntries } from './parse-unit-file.ts';
import { splitUnitWords } from './split-unit-words.ts';
import type { Warn } from './timer-to-entry.ts';
import { spanOf } from './timer-to-entry.ts';

/** Keys read here; any other `[Service]` key is warned about by the caller. */
export const serviceKeys = new Set([
  'Type',
  'ExecStart',
  'ExecStartPre',
  'ExecStartPost',
  'ExecCondition',
  'WorkingDirectory',
  'User',
  'Group',
  'Environment',
  'EnvironmentFile',
  'TimeoutStartSec',
  'TimeoutSec',
  'MemoryMax',
  'MemoryLimit',
  'CPUQuota',
  'LimitNOFILE',
  'TasksMax',
  'Restart',
  'RestartSec',
  'SuccessExitStatus',
  'StandardOutput',
]);

/** Fills `entry` from the service; throws an import error naming file:line for a command it cannot read. */
export function serviceToEntry(
  service: UnitFile,
  names: UnitNames,
  entry: Record<string, unknown>,
  warn: Warn,
  startLimitBurst: number | undefined,
): void {
  const place = (key: string) => lastEntry(service, 'Service', key);
  const commands = (key: string) =>
    listEntries(service, 'Service', key).map((line) => ({ line, command: readCommand(line, names, warn) }));

  const type = place('Type');
  if (type !== undefined && !['oneshot', 'simple', 'exec'].includes(type.value)) {
    warn(
      type,
      `Type=${type.value} waits for the service to signal it started`,
      'dropped: the job runs to its end',
    );
  }

  const main = commands('ExecStart');
  if (main.length === 0) {
    throw new ImportProblemsError([
      {
        file: service.entries[0]?.file ?? names.unitName,
        line: null,
        message: 'the service has no ExecStart=: there is nothing to run',
      },
    ]);
  }
  const pre = commands('ExecStartPre');
  const post = commands('ExecStartPost');
  for (const { line } of post) {
    warn(
      line,
      'ExecStartPost= runs after the command has started',
      'joined with && after it in a shell line',
    );
  }
  if (main.length > 1) {
    warn(
      main[1]?.line as UnitEntry,
      'several ExecStart= lines run one after the other',
      'joined with && in a shell line',
    );
  }
  const all = [...main, ...post];
  Object.assign(entry, literalKeys(commandKeys(all.map((item) => item.command)), all, warn));
  // ExecStartPre= lines are the job's pre: commands, in order; the first that fails stops the start.
  if (pre.length > 0) {
    entry['pre'] = pre.map((item) => {
      const keys = literalKeys(commandKeys([item.command]), [item], warn);
      return keys.shell === true ? { run: keys.run, shell: true } : keys.run;
    });
  }

  const conditions = commands('ExecCondition');
  if (conditions.length > 0) {
    const condition = literalKeys(commandKeys(conditions.map((item) => item.command)), conditions, warn);
    entry['condition'] =
      condition['shell'] === true ? { run: condition['run'], shell: true } : condition['run'];
  }

  const cwd = place('WorkingDirectory');
  if (cwd !== undefined && cwd.value !== '') {
    let directory = cwd.value.startsWith('-') ? cwd.value.slice(1) : cwd.value;
    if (cwd.value.startsWith('-')) {
      warn(
        cwd,
        'the "-" prefix lets the service start when the folder is missing',
        'dropped: the folder must exist',
      );
    }
    if (directory === '~') {
      warn(
        cwd,
        'WorkingDirectory=~ is the home folder of User=',
        "dropped: the job runs in cronplane's folder",
      );
    } else {
      directory = resolveSpecifiers(directory, names, []);
      entry['cwd'] = escapeSubstitution(directory);
    }
  }
  for (const key of ['User', 'Group'] as const) {
    const value = place(key);
    if (value !== undefined && value.value !== '') entry[key.toLowerCase()] = escapeSubstitution(value.value);
  }

  const env: Record<string, string> = {};
  for (const line of listEntries(service, 'Service', 'Environment')) {
    for (const word of wordsOf(line)) {
      const equals = word.indexOf('=');
      const name = word.slice(0, equals);
      if (equals < 1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        warn(line, `"${word}" is not a NAME=value assignment`, 'dropped');
        continue;
      }
      const value = resolveSpecifiers(word.slice(equals + 1), names, []);
      for (const lookalike of placeholderLookalikes(value)) {
        warn(
          line,
          `${name}'s value holds ${lookalike}, which the job file reads as a placeholder`,
          'kept as written: edit it',
        );
      }
      env[name] = escapeSubstitution(value);
    }
  }
  if (Object.keys(env).length > 0) entry['env'] = env;
  const envFiles = listEntries(service, 'Service', 'EnvironmentFile').map((line) =>
    escapeSubstitution(resolveSpecifiers(line.value, names, [])),
  );
  if (envFiles.length > 0) entry['env_file'] = envFiles.length === 1 ? envFiles[0] : envFiles;

  const timeout = place('TimeoutStartSec') ?? place('TimeoutSec');
  const timeoutMs = timeout === undefined || timeout.value === '' ? undefined : spanOf(timeout);
  if (timeoutMs !== undefined && timeoutMs > 0) entry['timeout'] = formatDuration(timeoutMs);

  const limits: Record<string, unknown> = {};
  const memory = place('MemoryMax') ?? place('MemoryLimit');
  if (memory !== undefined && memory.value !== '' && memory.value !== 'infinity') {
    if (readable(memory, parseSize, warn)) limits['memory'] = memory.value;
  }
  const cpu = place('CPUQuota');
  if (cpu !== undefined && cpu.value !== '' && readable(cpu, parseCpuQuota, warn)) limits['cpu'] = cpu.value;
  const files = place('LimitNOFILE');
  const openFiles = files === undefined ? undefined : Number(files.value.split(':')[0]);
  if (files !== undefined && openFiles !== undefined && Number.isInteger(openFiles) && openFiles > 0) {
    limits['open_files'] = openFiles;
    if (files.value.includes(':'))
      warn(
        files,
        `LimitNOFILE=${files.value} sets a soft and a hard limit`,
        `became open_files: ${openFiles} (the soft one)`,
      );
  } else if (files !== undefined)
    warn(files, `LimitNOFILE=${files.value} is not a number of files`, 'dropped');
  const tasks = place('TasksMax');
  if (tasks !== undefined && /^\d+$/.test(tasks.value) && Number(tasks.value) > 0)
    limits['processes'] = Number(tasks.value);
  else if (tasks !== undefined) warn(tasks, `TasksMax=${tasks.value} is not a count of processes`, 'dropped');
  if (Object.keys(limits).length > 0) entry['limits'] = limits;

  const output = place('StandardOutput');
  const appended = output === undefined ? undefined : /^(append|file):(.+)$/.exec(output.value);
  if (output !== undefined && appended !== null && appended !== undefined) {
    entry['log'] = { file: escapeSubstitution(resolveSpecifiers(appended[2] as string, names, [])) };
    if (appended[1] === 'file')
      warn(
        output,
        `StandardOutput=${output.value} overwrites the file at each start`,
        'became log.file, which appends',
      );
  } else if (output !== undefined) {
    warn(
      output,
      `StandardOutput=${output.value} sends the output elsewhere`,
      "dropped: cronplane keeps each run's output with the run",
    );
  }

  readRestart(service, entry, warn, startLimitBurst);
  readSuccessExitStatus(service, entry, warn);
}

function readCommand(line: UnitEntry, names: UnitNames, warn: Warn): ExecCommand {
  const specifiers: string[] = [];
  let command: ExecCommand;
  try {
    command = parseExecCommand(line.value, names, specifiers);
  } catch (thrown) {
    throw new ImportProblemsError([
      {
        file: line.file,
        line: line.line,
        message: `${line.key}=${line.value}: ${coerceError(thrown).message}`,
      },
    ]);
  }
  for (const note of command.notes) warn(line, `${line.key}=: ${note}`, "dropped: it runs as the job's user");
  if (specifiers.length > 0) {
    warn(
      line,
      `${line.key}= uses the specifiers ${specifiers.join(' ')}, which name things of the machine or the unit`,
      'kept as written: edit them',
    );
  }
  if (
    command.words.some((parts) => parts.length === 1 && parts[0]?.kind === 'text' && parts[0].text === ';')
  ) {
    warn(
      line,
      `${line.key}= holds a ";" word, which older systemd read as a second command`,
      'kept as an argument',
    );
  }
  return command;
}

/**
 * The command keys with every `{name}` made literal by the one escape of all importers
 * (`literalCommand`), warned at the first line that holds one.
 */
function literalKeys(
  keys: { run: string | readonly string[]; shell?: true },
  lines: readonly { readonly line: UnitEntry }[],
  warn: Warn,
): { run: string | readonly string[]; shell?: true } {
  const literal = literalCommand({ run: keys.run, shell: keys.shell === true });
  if (literal.names.length === 0) return keys;
  const first = lines.find(({ line }) => placeholderLookalikes(line.value).length > 0) ?? lines[0];
  if (first !== undefined) {
    const [message, action] = literalCommandNote(literal.names);
    warn(first.line, `${first.line.key}=: ${message}`, action);
  }
  return { run: literal.run, shell: true };
}

/** One command as `run` (an argument list), or several / expanded ones as one shell line. */
function commandKeys(commands: readonly ExecCommand[]): { run: string | readonly string[]; shell?: true } {
  const only = commands.length === 1 ? commands[0] : undefined;
  const argv = only === undefined || only.ignoreFailure ? undefined : literalArgv(only);
  if (argv !== undefined) return { run: argv.map(escapeSubstitution) };
  const script = commands
    .map((command) => (command.ignoreFailure ? `{ ${shellLine(command)} || true; }` : shellLine(command)))
    .join(' && ');
  return { run: escapeSubstitution(script), shell: true };
}

function wordsOf(line: UnitEntry): string[] {
  try {
    return splitUnitWords(line.value);
  } catch (thrown) {
    throw new ImportProblemsError([
      {
        file: line.file,
        line: line.line,
        message: `${line.key}=${line.value}: ${coerceError(thrown).message}`,
      },
    ]);
  }
}

function readable(line: UnitEntry, parse: (text: string) => unknown, warn: Warn): boolean {
  try {
    parse(line.value);
    return true;
  } catch (thrown) {
    warn(line, `${line.key}=${line.value}: ${coerceError(thrown).message}`, 'dropped');
    return false;
  }
}

function readRestart(
  service: UnitFile,
  entry: Record<string, unknown>,
  warn: Warn,
  startLimitBurst: number | undefined,
): void {
  const restart = lastEntry(service, 'Service', 'Restart');
  if (restart === undefined || restart.value === 'no') return;
  if (!['on-failure', 'on-abnormal', 'always'].includes(restart.value)) {
    warn(restart, `Restart=${restart.value} restarts on outcomes cronplane does not retry`, 'dropped');
    return;
  }
  const delayLine = lastEntry(service, 'Service', 'RestartSec');
  const delay = delayLine === undefined ? 100 : (spanOf(delayLine) ?? 100);
  const attempts = Math.min(100, Math.max(2, startLimitBurst ?? 3));
  entry['retry'] = { attempts, backoff: 'fixed', delay: formatDuration(delay) };
  warn(
    restart,
    `Restart=${restart.value} restarts the service with no count of its own (only StartLimitBurst= stops it)`,
    `became retry: ${attempts} attempts in all, ${formatDuration(delay)} apart${restart.value === 'on-failure' ? '' : ' (on failures only)'}`,
  );
}

/** The exit status names systemd.exec(5) lists (LSB and BSD sysexits.h) that a unit may write. */
const exitStatusNames: Readonly<Record<string, number>> = {
  INVALIDARGUMENT: 2,
  NOTIMPLEMENTED: 3,
  NOPERMISSION: 4,
  NOTINSTALLED: 5,
  NOTCONFIGURED: 6,
  NOTRUNNING: 7,
  USAGE: 64,
  DATAERR: 65,
  NOINPUT: 66,
  NOUSER: 67,
  NOHOST: 68,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  OSERR: 71,
  OSFILE: 72,
  CANTCREAT: 73,
  IOERR: 74,
  TEMPFAIL: 75,
  PROTOCOL: 76,
  NOPERM: 77,
  CONFIG: 78,
};

function readSuccessExitStatus(service: UnitFile, entry: Record<string, unknown>, warn: Warn): void {
  const codes: Record<string, string> = {};
  for (const line of listEntries(service, 'Service', 'SuccessExitStatus')) {
    for (const word of line.value.split(/\s+/)) {
      const code = /^\d+$/.test(word) ? Number(word) : exitStatusNames[word];
      if (code !== undefined && code <= 255) codes[String(code)] = 'success';
      else
        warn(
          line,
          `SuccessExitStatus=: "${word}" is a signal, not an exit code`,
          'dropped: a run killed by a signal fails',
        );
    }
  }
  if (Object.keys(codes).length > 0) entry['exit_codes'] = codes;
}
