import { isKnownTimeZone as isTimeZone } from '../calendar/index.ts';
import { chainBack } from './chain-back.ts';
import type { ConfigProblem, Report } from './config-problems.ts';
import { ConfigError, pathToString } from './config-problems.ts';
import type { JobDefaults, JobEntry, NotifyKey } from './job-file-schema.ts';
import { defaultGroupWindowMs } from './job-defaults.ts';
import type { LoadedJobFile } from './load-job-file.ts';
import { isUnder } from './load-job-file.ts';
import type { AfterOutsideFile, ResolvedConfig, ResolvedJob, ResolvedMonitor } from './resolved-config.ts';
import { resolveJob } from './resolve-job.ts';
import { resolveSchedules } from './resolve-schedules.ts';
import { SharedParts } from './shared-parts.ts';
import { timeZoneMessage } from './time-zone-message.ts';

/**
 * The jobs beyond the file's own that `after:` may name (a job entry given through the API): the
 * `after:` list of such a job, undefined when there is none; `any` takes every name (an entry
 * that was checked when it was written, resolved again on another node or after a reload);
 * `api` takes a file job's name outside the file for a job defined through the API, to be
 * checked once the store is open (`ResolvedConfig.afterOutsideFile`, `checkAfterApiJobs`).
 */
export type JobsBeyond = ((name: string) => readonly string[] | undefined) | 'any' | 'api';

export interface ResolveOptions {
  readonly shared?: SharedParts;
  /** Whom `after:` may name besides the file's jobs; nobody by default (`no job named "x" in this file`). */
  readonly jobsBeyond?: JobsBeyond;
}

/**
 * Applies defaults and checks what the schema cannot see alone: schedules and time zones parse,
 * channel and job references exist, commands split, fan-out lists are not empty, placeholders
 * are known. Every problem is located; all are reported together. `shared` holds the parts jobs
 * have alike across calls (jobs resolved one by one against the same file, `resolveJobEntry`).
 */
export function resolveConfig(loaded: LoadedJobFile, options: ResolveOptions = {}): ResolvedConfig {
  const { jobFile, file, locate } = loaded;
  const problems: ConfigProblem[] = [];
  const report: Report = (fieldPath, message, offset) => {
    problems.push({ file, ...locate(fieldPath, offset), path: pathToString(fieldPath), message });
  };

  const timezone = jobFile.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) report(['timezone'], timeZoneMessage(timezone));
  const defaults: JobDefaults = jobFile.defaults ?? {};
  if (defaults.timezone !== undefined && !isTimeZone(defaults.timezone)) {
    report(['defaults', 'timezone'], timeZoneMessage(defaults.timezone));
  }
  const channels = new Map(Object.entries(jobFile.channels ?? {}));
  // The jobs by name as read: with 100,000 of them, a set of their names or a list of their
  // entries (Object.entries) cost tens of milliseconds each; the record is looked up instead.
  const jobEntries: Readonly<Record<string, JobEntry>> = jobFile.jobs ?? {};
  const jobNames = { has: (name: string) => Object.hasOwn(jobEntries, name) };
  checkNotify(defaults.notify, ['defaults', 'notify'], channels, report);

  const jobs: ResolvedJob[] = [];
  const afterOutsideFile: AfterOutsideFile[] = [];
  const shared = options.shared ?? new SharedParts(loaded.fileEnv);
  for (const name of Object.keys(jobEntries)) {
    const entry = jobEntries[name] as JobEntry;
    const job = resolveJob(name, entry, { defaults, fileZone: timezone, loaded, report, shared });
    checkNotify(entry.notify, ['jobs', name, 'notify'], channels, report);
    checkAfter(name, entry.after ?? [], jobNames, options.jobsBeyond, report, (index, other) => {
      const fieldPath = ['jobs', name, 'after', index];
      afterOutsideFile.push({
        file,
        ...locate(fieldPath),
        path: pathToString(fieldPath),
        message: `no job named "${other}" in the job file or defined through the API`,
        job: name,
        name: other,
      });
    });
    if (job !== undefined) jobs.push(job);
  }
  checkChainCycles(jobEntries, report);

  const monitors: ResolvedMonitor[] = [];
  for (const [name, entry] of Object.entries(jobFile.monitors ?? {})) {
    if (jobNames.has(name)) report(['monitors', name], `"${name}" is already the name of a job`);
    const zone = entry.timezone ?? timezone;
    if (!isTimeZone(zone)) report(['monitors', name, 'timezone'], timeZoneMessage(zone));
    checkNotify(entry.notify, ['monitors', name, 'notify'], channels, report);
    const schedules = resolveSchedules(entry.schedule, ['monitors', name, 'schedule'], report, shared);
    monitors.push({
      name,
      entry,
      notify: { ...defaults.notify, ...entry.notify },
      remindEveryMs: entry.remind_every ?? defaults.watch?.remind_every,
      schedules,
      timezone: zone,
    });
  }

  // A check of a value left as `${VAR}` (read with `unsetVariables: 'leave'`) is not told: the
  // value is unusable anyway, and the commands that read so never use it.
  const { unresolved } = loaded;
  const told = problems.filter((problem) => !unresolved.some((entry) => isUnder(problem.path, entry.path)));
  if (told.length > 0)
    throw new ConfigError([...told].sort((a, b) => a.line - b.line || a.column - b.column));
  const config: ResolvedConfig = {
    file,
    timezone,
    store: jobFile.store,
    listen: jobFile.server?.listen,
    publicUrl: jobFile.server?.public_url,
    jobs,
    channels,
    notify: defaults.notify ?? {},
    monitors,
    retention: {
      ...(jobFile.retention?.runs === undefined ? {} : { runsMs: jobFile.retention.runs }),
      ...(jobFile.retention?.logs === undefined ? {} : { logsMs: jobFile.retention.logs }),
      ...(jobFile.retention?.pings === undefined ? {} : { pingsMs: jobFile.retention.pings }),
    },
    alerts: {
      groupWindowMs: jobFile.alerts?.group_window ?? defaultGroupWindowMs,
      groupWaitMs: jobFile.alerts?.group_wait ?? 0,
    },
    kinds: loaded.kinds,
    unresolved,
    ...(afterOutsideFile.length === 0 ? {} : { afterOutsideFile }),
  };
  // The file as loaded carries every substituted secret in plain text: kept off the enumerable
  // properties, so printing or serialising a config (JSON, util.inspect) never shows it.
  Object.defineProperty(config, 'loaded', { value: loaded, enumerable: false });
  return config;
}

function checkNotify(
  notify: Readonly<Partial<Record<NotifyKey, readonly string[]>>> | undefined,
  fieldPath: readonly PropertyKey[],
  channels: ReadonlyMap<string, unknown>,
  report: Report,
): void {
  for (const [key, names] of Object.entries(notify ?? {})) {
    names.forEach((name, index) => {
      if (!channels.has(name)) {
        const known =
          channels.size === 0 ? 'no channels are declared' : `declared: ${[...channels.keys()].join(', ')}`;
        report([...fieldPath, key, index], `no channel named "${name}" (${known})`);
      }
    });
  }
}

function checkAfter(
  name: string,
  after: readonly string[],
  jobNames: Pick<ReadonlySet<string>, 'has'>,
  beyond: JobsBeyond | undefined,
  report: Report,
  outside: (index: number, other: string) => void,
): void {
  after.forEach((other, index) => {
    const at = ['jobs', name, 'after', index];
    if (other === name) report(at, 'a job cannot run after itself');
    else if (jobNames.has(other) || beyond === 'any') return;
    else if (beyond === 'api') outside(index, other);
    else if (beyond === undefined) report(at, `no job named "${other}" in this file`);
    else if (beyond(other) === undefined)
      report(at, `no job named "${other}" in the job file or defined through the API`);
    else {
      const trail = chainBack(other, name, beyond);
      if (trail !== undefined)
        report(at, `jobs run after each other in a cycle: ${[name, ...trail, name].join(' -> ')}`);
    }
  });
}

function checkChainCycles(jobs: Readonly<Record<string, JobEntry>>, report: Report): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      report(
        ['jobs', name, 'after'],
        `jobs run after each other in a cycle: ${[...trail, name].join(' -> ')}`,
      );
      return;
    }
    state.set(name, 'visiting');
    for (const other of jobs[name]?.after ?? [])
      if (other in jobs && other !== name) visit(other, [...trail, name]);
    state.set(name, 'done');
  };
  // A walk from a job that runs after none finds nothing: only those that do start one (with
  // 100,000 jobs and no `after:`, the walk was a tenth of resolving the file).
  for (const name of Object.keys(jobs)) if (jobs[name]?.after !== undefined) visit(name, []);
}
