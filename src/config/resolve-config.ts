import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse as splitShellWords } from 'shell-quote';
import { isKnownTimeZone as isTimeZone, parseSchedule } from '../calendar/index.ts';
import { CronplaneError, coerceError } from '../errors/index.ts';
import { checkBodyPlaceholders, checkCommandPlaceholders } from './check-placeholder-contexts.ts';
import type { ConfigProblem } from './config-problems.ts';
import { ConfigError, pathToString } from './config-problems.ts';
import type { JobDefaults, JobEntry, NotifyKey, Outcome, ScheduleEntry } from './job-file-schema.ts';
import type { LoadedJobFile } from './load-job-file.ts';
import type {
  EnvFileRef,
  JobTarget,
  ResolvedConfig,
  ResolvedJob,
  ResolvedMonitor,
  ResolvedSchedule,
} from './resolved-config.ts';
import { resolveParams } from './resolve-params.ts';
import type { MaybeSecret } from './secret.ts';
import { Secret } from './secret.ts';

/** Output kept per run when the job file says nothing: 1 MiB. */
export const defaultCaptureLimit = 1024 * 1024;
/** Placeholders every run has, besides its fan-out keys. */
export const builtinPlaceholders = ['job', 'run_id', 'attempt', 'scheduled_at', 'fan_key'] as const;

/**
 * Applies defaults and checks what the schema cannot see alone: schedules and time zones parse,
 * channel and job references exist, commands split, fan-out lists are not empty, placeholders
 * are known. Every problem is located; all are reported together.
 */
export function resolveConfig(loaded: LoadedJobFile): ResolvedConfig {
  const { jobFile, file, locate } = loaded;
  const problems: ConfigProblem[] = [];
  const report = (fieldPath: readonly PropertyKey[], message: string, offset?: number) => {
    problems.push({ file, ...locate(fieldPath, offset), path: pathToString(fieldPath), message });
  };

  const timezone = jobFile.timezone ?? 'UTC';
  if (!isTimeZone(timezone)) report(['timezone'], timeZoneMessage(timezone));
  const defaults: JobDefaults = jobFile.defaults ?? {};
  if (defaults.timezone !== undefined && !isTimeZone(defaults.timezone)) {
    report(['defaults', 'timezone'], timeZoneMessage(defaults.timezone));
  }
  const channels = new Map(Object.entries(jobFile.channels ?? {}));
  const jobNames = new Set(Object.keys(jobFile.jobs ?? {}));
  checkNotify(defaults.notify, ['defaults', 'notify'], channels, report);

  const jobs: ResolvedJob[] = [];
  const shared = new SharedParts(loaded.fileEnv);
  for (const [name, entry] of Object.entries(jobFile.jobs ?? {})) {
    const job = resolveJob(name, entry, defaults, timezone, loaded, report, shared);
    checkNotify(entry.notify, ['jobs', name, 'notify'], channels, report);
    (entry.after ?? []).forEach((other, index) => {
      if (other === name) report(['jobs', name, 'after', index], 'a job cannot run after itself');
      else if (!jobNames.has(other))
        report(['jobs', name, 'after', index], `no job named "${other}" in this file`);
    });
    if (job !== undefined) jobs.push(job);
  }
  checkChainCycles(jobFile.jobs ?? {}, report);

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

  if (problems.length > 0)
    throw new ConfigError([...problems].sort((a, b) => a.line - b.line || a.column - b.column));
  return {
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
  };
}

type Report = (fieldPath: readonly PropertyKey[], message: string, offset?: number) => void;

function resolveJob(
  name: string,
  entry: JobEntry,
  defaults: JobDefaults,
  fileZone: string,
  loaded: LoadedJobFile,
  report: Report,
  shared: SharedParts,
): ResolvedJob | undefined {
  const at = (...rest: PropertyKey[]) => ['jobs', name, ...rest];
  const timezone = entry.timezone ?? defaults.timezone ?? fileZone;
  if (entry.timezone !== undefined && !shared.isTimeZone(entry.timezone))
    report(at('timezone'), timeZoneMessage(timezone));

  const fanOut = resolveFanOut(entry.for_each, at('for_each'), report);
  const placeholders = new Set<string>([
    ...builtinPlaceholders,
    ...Object.keys(entry.params ?? {}),
    ...Object.keys(entry.for_each ?? {}),
  ]);
  for (const key of Object.keys(entry.params ?? {})) {
    if (key in (entry.for_each ?? {}) || (builtinPlaceholders as readonly string[]).includes(key)) {
      report(
        at('params', key),
        `"${key}" is already a ${key in (entry.for_each ?? {}) ? 'for_each key' : 'built-in placeholder'}`,
      );
    }
  }
  const checkPlaceholders = (text: string, fieldPath: readonly PropertyKey[]) => {
    for (const match of text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      if (!placeholders.has(match[1] as string)) {
        report(
          fieldPath,
          `unknown placeholder {${match[1]}}: known here are ${[...placeholders].map((p) => `{${p}}`).join(', ')}`,
          match.index,
        );
      }
    }
  };

  const isKnown = (name: string) => placeholders.has(name);
  const target = resolveTarget(entry, loaded.baseDir, at, report, checkPlaceholders, isKnown);
  const ownEnv = Object.entries({ ...defaults.env, ...entry.env });
  // The top-level env_file's variables, shared by every job that adds none of its own.
  let env: Readonly<Record<string, MaybeSecret>> = shared.fileEnv;
  if (ownEnv.length > 0) {
    const merged: Record<string, MaybeSecret> = { ...shared.fileEnv };
    for (const [key, value] of ownEnv) {
      merged[key] = value;
      checkPlaceholders(value instanceof Secret ? value.reveal() : value, at('env', key));
    }
    env = merged;
  }
  const envFiles = listOf(entry.env_file ?? defaults.env_file).map((item): EnvFileRef => {
    const optional = item.startsWith('-');
    return { path: path.resolve(loaded.baseDir, optional ? item.slice(1) : item), optional };
  });

  const params = resolveParams(
    entry.params,
    {
      target,
      env,
      automatic:
        entry.schedule !== undefined
          ? 'on its schedule'
          : entry.after !== undefined
            ? 'after the jobs it follows'
            : entry.queue !== undefined
              ? 'for each queued item'
              : undefined,
    },
    at,
    report,
  );

  const retry = entry.retry ?? defaults.retry;
  const exitCodes = new Map<number, Outcome>();
  for (const [code, outcome] of Object.entries({ ...defaults.exit_codes, ...entry.exit_codes })) {
    exitCodes.set(Number(code), outcome);
  }
  const condition =
    entry.condition === undefined
      ? undefined
      : typeof entry.condition === 'string' || Array.isArray(entry.condition)
        ? { ...splitCommand(entry.condition, false, at('condition'), report), timeoutMs: undefined }
        : {
            ...splitCommand(
              entry.condition.run,
              entry.condition.shell ?? false,
              at('condition', 'run'),
              report,
            ),
            timeoutMs: entry.condition.timeout,
          };
  if (condition !== undefined && entry.condition !== undefined) {
    const raw = entry.condition;
    const [run, where] =
      typeof raw === 'string' || Array.isArray(raw)
        ? [raw, at('condition')]
        : [raw.run, at('condition', 'run')];
    checkCommandPlaceholders(run, condition, where, isKnown, report);
  }
  const schedules = resolveSchedules(entry.schedule, at('schedule'), report, shared);
  // Guards judge reported numbers: a job with guards reads its last JSON line unless it says otherwise.
  const metrics = entry.metrics ?? defaults.metrics ?? (entry.guards === undefined ? 'none' : 'stdout_json');
  const log = { ...defaults.log, ...entry.log };
  const limits = { ...defaults.limits, ...entry.limits };
  const watch = { ...defaults.watch, ...entry.watch };
  if (target === undefined) return undefined;

  const job: Omit<ResolvedJob, 'configHash'> = {
    name,
    description: entry.description,
    enabled: entry.enabled ?? true,
    schedules,
    after: shared.part('after', entry.after ?? []),
    timezone,
    target: target.kind === 'command' ? shared.part('target', target) : target,
    cwd: resolveCwd(entry.cwd ?? defaults.cwd, loaded.baseDir),
    user: entry.user ?? defaults.user,
    group: entry.group ?? defaults.group,
    env,
    envFiles: shared.part('envFiles', envFiles),
    params,
    fanOut: fanOut.length === 1 && Object.keys(fanOut[0] ?? {}).length === 0 ? noFanOut : fanOut,
    timeoutMs: entry.timeout ?? defaults.timeout,
    maxRuntimeMs: entry.max_runtime ?? defaults.max_runtime,
    startDeadlineMs: entry.start_deadline ?? defaults.start_deadline,
    retry: shared.part('retry', {
      attempts: retry?.attempts ?? 1,
      backoff: retry?.backoff ?? 'exponential',
      delayMs: retry?.delay ?? 30_000,
      maxDelayMs: retry?.max_delay ?? 3_600_000,
      jitter: retry?.jitter ?? 0.1,
    }),
    concurrency: entry.concurrency ?? defaults.concurrency ?? 'forbid',
    maxParallel: entry.max_parallel ?? defaults.max_parallel,
    catchUp: entry.catch_up ?? defaults.catch_up ?? 'skip',
    catchUpWindowMs: entry.catch_up_window ?? defaults.catch_up_window,
    randomizedDelayMs: entry.randomized_delay ?? defaults.randomized_delay ?? 0,
    limits: shared.part('limits', {
      ...(limits.memory === undefined ? {} : { memoryBytes: limits.memory }),
      ...(limits.cpu === undefined ? {} : { cpu: limits.cpu }),
      ...(limits.open_files === undefined ? {} : { openFiles: limits.open_files }),
      ...(limits.processes === undefined ? {} : { processes: limits.processes }),
    }),
    exitCodes: exitCodes.size === 0 ? noExitCodes : exitCodes,
    condition,
    notify: shared.part('notify', { ...defaults.notify, ...entry.notify }),
    watch: shared.part('watch', {
      ...(watch.expect_success_within === undefined
        ? {}
        : { expectSuccessWithinMs: watch.expect_success_within }),
      ...(watch.consecutive_failures === undefined
        ? {}
        : { consecutiveFailures: watch.consecutive_failures }),
      ...(watch.min_duration === undefined ? {} : { minDurationMs: watch.min_duration }),
      ...(watch.slower_than === undefined ? {} : { slowerThan: watch.slower_than }),
      ...(watch.remind_every === undefined ? {} : { remindEveryMs: watch.remind_every }),
      ...(watch.recover_after === undefined ? {} : { recoverAfter: watch.recover_after }),
    }),
    guards: entry.guards === undefined ? noGuards : new Map(Object.entries(entry.guards)),
    queue:
      entry.queue === undefined
        ? undefined
        : {
            ...(entry.queue.key === undefined ? {} : { key: entry.queue.key }),
            ...(entry.queue.per_key === undefined ? {} : { perKey: entry.queue.per_key }),
            ...(entry.queue.max_per_run === undefined ? {} : { maxPerRun: entry.queue.max_per_run }),
          },
    nodeTags: shared.part('nodeTags', entry.node_tags ?? defaults.node_tags ?? []),
    log: shared.part('log', {
      ...(log.file === undefined ? {} : { file: path.resolve(loaded.baseDir, log.file) }),
      ...(log.max_size === undefined ? {} : { maxSizeBytes: log.max_size }),
      ...(log.keep === undefined ? {} : { keep: log.keep }),
      captureLimitBytes: log.capture_limit ?? defaultCaptureLimit,
      format: log.format ?? 'text',
    }),
    metrics: shared.part(
      'metrics',
      typeof metrics === 'string'
        ? { from: metrics, field: undefined }
        : { from: metrics.from, field: metrics.field },
    ),
    priority: entry.priority ?? defaults.priority ?? 0,
    dryRun: entry.dry_run ?? defaults.dry_run ?? false,
  };
  return { ...job, configHash: hashJob(job) };
}

function resolveTarget(
  entry: JobEntry,
  baseDir: string,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  report: Report,
  checkPlaceholders: (text: string, fieldPath: readonly PropertyKey[]) => void,
  isKnown: (name: string) => boolean,
): JobTarget | undefined {
  if (entry.run !== undefined) {
    const command = splitCommand(entry.run, entry.shell ?? false, at('run'), report);
    // Placeholders are checked in the text as written, so a problem points at its column.
    if (typeof entry.run === 'string') checkPlaceholders(entry.run, at('run'));
    else entry.run.forEach((arg, index) => checkPlaceholders(arg, at('run', index)));
    checkCommandPlaceholders(entry.run, command, at('run'), isKnown, report);
    return { kind: 'command', ...command };
  }
  if (entry.http !== undefined) {
    const http = entry.http;
    checkPlaceholders(http.url, at('http', 'url'));
    if (!/^https?:\/\//.test(http.url)) {
      report(at('http', 'url'), `expected an http:// or https:// URL, got ${JSON.stringify(http.url)}`);
    }
    const headers: Record<string, MaybeSecret> = {};
    for (const [key, value] of Object.entries(http.headers ?? {})) {
      headers[key] = typeof value === 'string' ? value : new Secret(value.secret);
      if (typeof value === 'string') checkPlaceholders(value, at('http', 'headers', key));
    }
    const body =
      http.body === undefined
        ? undefined
        : typeof http.body === 'string'
          ? http.body
          : JSON.stringify(http.body);
    // An object body is JSON with every placeholder inside a string; a string body is checked.
    if (typeof http.body === 'string') {
      checkBodyPlaceholders(http.body, headers, at('http', 'body'), isKnown, report);
    }
    return {
      kind: 'http',
      method: http.method ?? (body === undefined ? 'GET' : 'POST'),
      url: http.url,
      headers,
      bearer: http.bearer,
      body,
      expectStatus: http.expect_status,
      metricsField: http.metrics_field,
    };
  }
  if (entry.module !== undefined) {
    return {
      kind: 'module',
      path: path.resolve(baseDir, entry.module.path),
      exportName: entry.module.export ?? 'default',
    };
  }
  return undefined;
}

/** A command string is split like a shell would (quotes, escapes) but no shell runs it. */
function splitCommand(
  command: string | readonly string[],
  shell: boolean,
  fieldPath: readonly PropertyKey[],
  report: Report,
): { argv: string[]; shell: boolean } {
  if (shell) return { argv: [typeof command === 'string' ? command : command.join(' ')], shell: true };
  if (typeof command !== 'string') return { argv: [...command], shell: false };
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

function resolveSchedules(
  schedule: ScheduleEntry | readonly ScheduleEntry[] | undefined,
  fieldPath: readonly PropertyKey[],
  report: Report,
  shared: SharedParts,
): readonly ResolvedSchedule[] {
  if (schedule === undefined) return noSchedules;
  // The same schedule text parses to the same (immutable) spec: parsed once per file.
  if (typeof schedule === 'string') {
    const known = shared.schedules.get(schedule);
    if (known !== undefined) return known;
  }
  const list = Array.isArray(schedule) ? schedule : [schedule as ScheduleEntry];
  const resolved: ResolvedSchedule[] = [];
  list.forEach((item, index) => {
    const itemPath = Array.isArray(schedule) ? [...fieldPath, index] : fieldPath;
    const text = typeof item === 'string' ? item : item.expr;
    try {
      const spec =
        typeof item === 'string' ? parseSchedule(text) : parseSchedule(text, { syntax: item.syntax });
      resolved.push({ text, spec });
    } catch (thrown) {
      const error = coerceError(thrown);
      const position = error instanceof CronplaneError ? error.location?.position : undefined;
      report(
        typeof item === 'string' ? itemPath : [...itemPath, 'expr'],
        `invalid schedule ${JSON.stringify(text)}: ${error.message}`,
        position,
      );
    }
  });
  if (typeof schedule === 'string' && resolved.length === 1) {
    Object.freeze(resolved[0]);
    shared.schedules.set(schedule, Object.freeze(resolved));
  }
  return resolved;
}

function resolveFanOut(
  forEach: Readonly<Record<string, string | readonly string[]>> | undefined,
  fieldPath: readonly PropertyKey[],
  report: Report,
): Record<string, string>[] {
  let combinations: Record<string, string>[] = [{}];
  for (const [key, raw] of Object.entries(forEach ?? {})) {
    const values = (typeof raw === 'string' ? raw.split(',') : raw)
      .map((value) => value.trim())
      .filter((v) => v !== '');
    if (values.length === 0) {
      report(
        [...fieldPath, key],
        `the list for {${key}} is empty: expected comma-separated values or a list`,
      );
      continue;
    }
    const unique = [...new Set(values)];
    combinations = combinations.flatMap((combination) =>
      unique.map((value) => ({ ...combination, [key]: value })),
    );
  }
  return combinations;
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
  for (const name of Object.keys(jobs)) visit(name, []);
}

function resolveCwd(cwd: string | undefined, baseDir: string): string | undefined {
  return cwd === undefined ? undefined : path.resolve(baseDir, cwd);
}

function listOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function timeZoneMessage(zone: string): string {
  return `unknown time zone ${JSON.stringify(zone)}: expected an IANA name such as "UTC" or "Europe/Berlin"`;
}

function hashJob(job: Omit<ResolvedJob, 'configHash'>): string {
  // The job's only Maps are written as objects; without a replacer, JSON.stringify stays fast.
  const json = JSON.stringify({
    ...job,
    exitCodes: Object.fromEntries(job.exitCodes),
    guards: Object.fromEntries(job.guards),
  });
  return createHash('sha256').update(json).digest('hex');
}

const noSchedules: readonly ResolvedSchedule[] = Object.freeze([]);
const noFanOut: readonly Readonly<Record<string, string>>[] = Object.freeze([Object.freeze({})]);
const noExitCodes: ReadonlyMap<number, Outcome> = new Map();
const noGuards: ResolvedJob['guards'] = new Map();

/**
 * Parts that many jobs of one file have alike, held once: 100,000 jobs that share a schedule, a
 * command and their policies share one copy of each instead of holding 2.7 KB apiece. Shared
 * parts are frozen; parts that may hold secrets are never shared by value (a secret prints as
 * `***`, so two different ones would look alike), and the top-level env_file's secrets are made
 * once for every job.
 */
class SharedParts {
  readonly fileEnv: Readonly<Record<string, MaybeSecret>>;
  /** Resolved schedules by their text, for jobs with one schedule string. */
  readonly schedules = new Map<string, readonly ResolvedSchedule[]>();
  readonly #parts = new Map<string, unknown>();
  readonly #zones = new Map<string, boolean>();

  constructor(fileEnv: ReadonlyMap<string, string>) {
    const env: Record<string, MaybeSecret> = {};
    for (const [key, value] of fileEnv) env[key] = new Secret(value);
    this.fileEnv = Object.freeze(env);
  }

  /**
   * The one frozen copy of a value equal to `value`. Only for parts that cannot hold a secret
   * (job-file fields other than env and HTTP targets): they are compared by their JSON.
   */
  part<T extends object>(kind: string, value: T): T {
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    const key = empty ? `${kind}\u0000empty` : `${kind}\u0000${JSON.stringify(value)}`;
    const known = this.#parts.get(key);
    if (known !== undefined) return known as T;
    this.#parts.set(key, Object.freeze(value));
    return value;
  }

  isTimeZone(zone: string): boolean {
    let known = this.#zones.get(zone);
    if (known === undefined) {
      known = isTimeZone(zone);
      this.#zones.set(zone, known);
    }
    return known;
  }
}
