/**
 * Jobs as Windows Task Scheduler tasks: one task XML (schema 1.2) per job and fan-out key, for
 * `schtasks /create /xml NAME.xml /tn NAME`, and `register.cmd` with those lines. What a task
 * cannot say is warned about. See docs/interop.md "Windows Task Scheduler".
 */
import type { ResolvedJob } from '../../config/index.ts';
import { commandLinesFor } from '../command-lines-for.ts';
import type { ExportedFile, ExportResult, ExportWarning, Exporter } from '../export-result.ts';
import { exportedEnv } from '../exported-env.ts';
import { daemonOnlyLabels } from '../wrapped-features.ts';
import { isoDuration, taskTriggers } from './task-triggers.ts';
import { windowsCommandLine } from './windows-command-line.ts';
import { element, renderXml } from './xml-element.ts';
import type { XmlElement } from './xml-element.ts';

const taskNamespace = 'http://schemas.microsoft.com/windows/2004/02/mit/task';

/** cronplane's concurrency policy as Task Scheduler's MultipleInstancesPolicy. */
export const multipleInstancesPolicy = {
  forbid: 'IgnoreNew',
  queue: 'Queue',
  allow: 'Parallel',
  replace: 'StopExisting',
} as const;

export const schtasksExporter: Exporter = {
  format: 'schtasks',
  exportJobs(jobs, options): ExportResult {
    const files: ExportedFile[] = [];
    const warnings: ExportWarning[] = [];
    const register = [
      '@echo off',
      `rem Exported by cronplane export --to schtasks from ${options.configPath}.`,
      'rem Registers each task under \\cronplane\\ (run from this folder, as an administrator for other users).',
    ];
    for (const job of jobs) {
      for (const task of tasksFor(job, warnings)) {
        files.push({ path: `${task.name}.xml`, text: task.xml });
        register.push(`schtasks /create /xml "${task.name}.xml" /tn "cronplane\\${task.name}" /f`);
      }
    }
    if (files.length > 0) files.push({ path: 'register.cmd', text: `${register.join('\r\n')}\r\n` });
    return { files, warnings };
  },
};

function tasksFor(job: ResolvedJob, warnings: ExportWarning[]): { name: string; xml: string }[] {
  const warn = (message: string, action: string) => warnings.push({ job: job.name, message, action });
  const commands = commandLinesFor(job);
  if (commands === undefined) {
    warn(`a job that runs ${job.target.kind} is not a program a task can start`, 'left out');
    return [];
  }
  const randomDelay = job.randomizedDelayMs > 0 ? isoDuration(job.randomizedDelayMs) : undefined;
  const triggers: XmlElement[] = [];
  const zones = new Set<string>();
  for (const schedule of job.schedules) {
    const result = taskTriggers(schedule, job.timezone, randomDelay);
    if (result.kind === 'none') {
      warn(
        `schedule "${schedule.text}" cannot be said by Task Scheduler triggers: ${result.reason}`,
        'left out',
      );
      continue;
    }
    if (result.triggers.length > 1)
      warn(
        `schedule "${schedule.text}"`,
        `written as ${result.triggers.length} triggers whose union is its fires`,
      );
    triggers.push(...result.triggers);
    if (result.zone !== undefined) zones.add(result.zone);
  }
  if (triggers.length === 0) {
    warn('no schedule of the job has a Task Scheduler form', 'left out');
    return [];
  }
  if (triggers.length > 48) {
    warn(`the schedules need ${triggers.length} triggers, more than the 48 a task holds`, 'left out');
    return [];
  }
  for (const zone of zones)
    warn(
      `Task Scheduler reads a trigger's StartBoundary in the machine's zone; the times are wall times of ${zone}`,
      `run the machine in ${zone}, or change the times`,
    );
  notCarried(job, warn);
  if (commands.length > 1)
    warn(`fan-out over ${commands.length} keys`, 'one task per key, its values substituted');

  return commands.map((command) => {
    const key = Object.values(command.params).join('-');
    const name = taskName(key === '' ? job.name : `${job.name}-${key}`);
    if (command.shell)
      warn(
        'a shell line is written for /bin/sh',
        'run by cmd.exe /d /c: check that the line means the same there',
      );
    const argv = command.shell ? ['cmd.exe', '/d', '/c', command.argv[0] ?? ''] : command.argv;
    const [program = '', ...args] = argv;
    const exec = element('Exec', [
      element('Command', program),
      ...(args.length === 0 ? [] : [element('Arguments', windowsCommandLine(args))]),
      ...(job.cwd === undefined ? [] : [element('WorkingDirectory', windowsPath(job.cwd))]),
    ]);
    const task = element(
      'Task',
      [
        element('RegistrationInfo', [
          element('Author', 'cronplane'),
          ...(job.description === undefined ? [] : [element('Description', job.description)]),
        ]),
        element('Triggers', triggers),
        settings(job),
        element('Actions', [exec], { Context: 'Author' }),
      ],
      { version: '1.2', xmlns: taskNamespace },
    );
    return { name, xml: `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(task)}\n` };
  });
}

function settings(job: ResolvedJob): XmlElement {
  const retry = job.retry;
  return element('Settings', [
    element('MultipleInstancesPolicy', multipleInstancesPolicy[job.concurrency]),
    element('StartWhenAvailable', job.catchUp === 'skip' ? 'false' : 'true'),
    element('DisallowStartIfOnBatteries', 'false'),
    element('StopIfGoingOnBatteries', 'false'),
    ...(retry.attempts > 1
      ? [
          element('RestartOnFailure', [
            element('Interval', isoDuration(Math.max(60_000, retry.delayMs))),
            element('Count', String(retry.attempts - 1)),
          ]),
        ]
      : []),
    // PT0S: no limit, as a job without a timeout (Task Scheduler's default stops a task after 72 hours).
    element(
      'ExecutionTimeLimit',
      job.timeoutMs === undefined ? 'PT0S' : isoDuration(Math.max(1000, job.timeoutMs)),
    ),
    element('Enabled', job.enabled ? 'true' : 'false'),
  ]);
}

function notCarried(job: ResolvedJob, warn: (message: string, action: string) => void): void {
  if (job.retry.attempts > 1 && (job.retry.delayMs < 60_000 || job.retry.delayMs % 60_000 !== 0))
    warn(
      `retry delay ${isoDuration(job.retry.delayMs)}: Task Scheduler restarts after whole minutes of at least one`,
      `RestartOnFailure Interval ${isoDuration(Math.max(60_000, job.retry.delayMs))}`,
    );
  if (job.retry.attempts > 1 && (job.retry.backoff === 'exponential' || job.retry.jitter > 0))
    warn('retry back-off and jitter: Task Scheduler restarts after a fixed interval', 'left out');
  if (job.concurrency === 'queue')
    warn('concurrency: queue', 'MultipleInstancesPolicy Queue runs each queued start after the running one');
  const env = Object.keys(exportedEnv(job));
  if (env.length > 0 || job.envFiles.length > 0)
    warn(
      `a task has no environment of its own (${[...env, ...job.envFiles.map((file) => file.path)].join(', ')})`,
      'left out: set the variables for the user the task runs as (setx), never written here',
    );
  if (job.user !== undefined)
    warn(`user: ${job.user}`, `register the task for that user: schtasks /create ... /ru ${job.user} /rp`);
  const lost = daemonOnlyLabels(job);
  if (job.startDeadlineMs !== undefined) lost.push('start_deadline');
  if (Object.values(job.limits).some((limit) => limit !== undefined)) lost.push('limits');
  if (lost.length > 0)
    warn(`a task cannot say ${lost.join(', ')}`, 'left out; the task runs the program alone');
  if (job.pre.length > 0)
    warn(
      `a task cannot run pre: steps (${job.pre.length}) before its program and stop when one fails`,
      'left out: the task runs the program without them; start a script that runs them first',
    );
}

/** A Windows path the loader made absolute as a POSIX one (`/jobs/C:\\dir`): from its drive letter on. */
function windowsPath(path: string): string {
  return /[A-Za-z]:[\\/].*$/.exec(path)?.[0] ?? path;
}

/** A task name (and file name): characters Windows refuses in either become `_`. */
function taskName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]/g, '_');
}
