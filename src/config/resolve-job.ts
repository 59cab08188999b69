import { hash } from 'node:crypto';
import path from 'node:path';
import { placeholderPattern } from '../placeholders/index.ts';
import { checkCommandPlaceholders } from './check-placeholder-contexts.ts';
import type { Report } from './config-problems.ts';
import { parseAlertTemplate } from './alert-template.ts';
import { defaultAlertOutput, jobDefaults } from './job-defaults.ts';
import type { DryRunEntry, JobDefaults, JobEntry, Outcome } from './job-file-schema.ts';
import type { LoadedJobFile } from './load-job-file.ts';
import type { EnvFileRef, ResolvedJob } from './resolved-config.ts';
import { resolveParams } from './resolve-params.ts';
import { resolveSchedules } from './resolve-schedules.ts';
import { resolvedJobJson } from './resolved-job-json.ts';
import { checkTemplateSchedule, scheduleTexts } from './template-schedule.ts';
import { resolveTarget } from './resolve-target.ts';
import type { MaybeSecret } from './secret.ts';
import { Secret } from './secret.ts';
import type { SharedParts } from './shared-parts.ts';
import { splitCommand } from './split-command.ts';
import { timeZoneMessage } from './time-zone-message.ts';

/** Placeholders every run has, besides its fan-out keys. */
export const builtinPlaceholders = ['job', 'run_id', 'attempt', 'scheduled_at', 'fan_key'] as const;

/** Placeholders a run has when its job sets them (`max_per_run`); no parameter may take their names. */
export const settingPlaceholders = ['max_per_run'] as const;

/** Where a job's problems are reported: `jobs.<name>.<rest>`. */
type At = (...rest: PropertyKey[]) => PropertyKey[];
type CheckPlaceholders = (text: string, fieldPath: readonly PropertyKey[]) => void;

/** The parts of the file one job's resolution reads. */
export interface JobContext {
  readonly defaults: JobDefaults;
  /** The file's `timezone`, UTC when absent. */
  readonly fileZone: string;
  readonly loaded: LoadedJobFile;
  readonly report: Report;
  readonly shared: SharedParts;
}

/**
 * One job with `defaults:` and `jobDefaults` applied (the job's own value first), its paths
 * absolute, schedules parsed, fan-out expanded and placeholders checked; undefined when it names
 * nothing to run (the schema has reported that).
 */
export function resolveJob(name: string, entry: JobEntry, context: JobContext): ResolvedJob | undefined {
  const { defaults, loaded, report, shared } = context;
  const at: At = (...rest) => ['jobs', name, ...rest];
  const timezone = entry.timezone ?? defaults.timezone ?? context.fileZone;
  if (entry.timezone !== undefined && !shared.isTimeZone(entry.timezone))
    report(at('timezone'), timeZoneMessage(timezone));

  const fanOut = resolveFanOut(entry.for_each, at('for_each'), report);
  const placeholders = placeholdersOf(entry, defaults, at, report);
  const checkPlaceholders: CheckPlaceholders = (text, fieldPath) => {
    for (const match of text.matchAll(placeholderPattern)) {
      if (!placeholders.has(match[1] as string)) {
        report(
          fieldPath,
          `unknown placeholder {${match[1]}}: known here are ${[...placeholders].map((p) => `{${p}}`).join(', ')}`,
          match.index,
        );
      }
    }
  };
  const isKnown = (placeholder: string) => placeholders.has(placeholder);
  const resolved = resolveTarget(entry, loaded.kinds.executors, {
    baseDir: loaded.baseDir,
    at,
    report,
    checkPlaceholders,
    isKnown,
    share: (part, madeFrom) => shared.part('target', part, madeFrom),
  });
  const env = resolveEnv(entry, defaults, shared, at, checkPlaceholders);
  const envFiles = resolveEnvFiles(entry, defaults, loaded.baseDir);
  const headers = resolved?.headers ?? [];
  const template = entry.template === true;
  // A template never runs itself: its params may lack defaults (each instance gives its values).
  const automatic = template ? undefined : automaticStart(entry);
  const params = resolveParams(entry.params, { headers, env, automatic }, at, report);
  const exitCodes = resolveExitCodes(entry, defaults);
  const condition = resolveCondition(entry, at, report, isKnown, checkPlaceholders);
  const pre = resolvePre(entry, at, report, isKnown, checkPlaceholders);
  const dryRun = resolveDryRun(entry, defaults, at, report);
  if (resolved !== undefined && resolved.kind.runsCommandSteps !== true) {
    for (const key of ['condition', 'pre'] as const) {
      if (entry[key] !== undefined) {
        report(
          at(key),
          `${key} applies only to a job that runs a command (run:); a job with ${resolved.kind.key} (${resolved.kind.noun}) never starts it`,
        );
      }
    }
  }
  if (template) checkTemplate(entry, at, report);
  // A template's schedule is parsed per instance, once its values are in place.
  const schedules = template ? [] : resolveSchedules(entry.schedule, at('schedule'), report, shared);
  if (resolved === undefined) return undefined;
  // A queue's own max_per_run wins over the job's (or defaults:'), which is its default.
  const maxPerRun = entry.queue?.max_per_run ?? entry.max_per_run ?? defaults.max_per_run;

  // A part the job sets nothing of comes from `defaults:` alone: built once per file, not per job.
  const ownOrDefault = <T extends object>(kind: string, own: unknown, build: () => T, variant?: string): T =>
    own === undefined ? shared.fromDefaults(kind, defaults, build, variant) : shared.part(kind, build());
  const job: Omit<ResolvedJob, 'configHash'> = {
    name,
    description: entry.description,
    enabled: entry.enabled ?? jobDefaults.enabled,
    schedules,
    after: shared.part('after', entry.after ?? []),
    timezone,
    target: resolved.target,
    cwd: resolveCwd(entry.cwd ?? defaults.cwd, loaded.baseDir),
    user: entry.user ?? defaults.user,
    group: entry.group ?? defaults.group,
    env,
    envFiles: shared.part('envFiles', envFiles),
    params,
    fanOut: fanOut.length === 1 && Object.keys(fanOut[0] ?? {}).length === 0 ? noFanOut : fanOut,
    timeoutMs: entry.timeout ?? defaults.timeout ?? resolved.kind.defaultTimeoutMs,
    maxRuntimeMs: entry.max_runtime ?? defaults.max_runtime,
    startDeadlineMs: entry.start_deadline ?? defaults.start_deadline,
    retry: ownOrDefault('retry', entry.retry, () => resolveRetry(entry, defaults)),
    concurrency: entry.concurrency ?? defaults.concurrency ?? jobDefaults.concurrency,
    maxParallel: entry.max_parallel ?? defaults.max_parallel,
    cooldownMs: entry.cooldown ?? defaults.cooldown,
    maxPerRun,
    catchUp: entry.catch_up ?? defaults.catch_up ?? jobDefaults.catch_up,
    catchUpWindowMs: entry.catch_up_window ?? defaults.catch_up_window,
    randomizedDelayMs: entry.randomized_delay ?? defaults.randomized_delay ?? jobDefaults.randomized_delay,
    limits: ownOrDefault('limits', entry.limits, () => resolveLimits(entry, defaults)),
    exitCodes: exitCodes.size === 0 ? noExitCodes : exitCodes,
    condition,
    pre: pre.length === 0 ? noPre : pre,
    notify: ownOrDefault('notify', entry.notify, () => ({ ...defaults.notify, ...entry.notify })),
    watch: ownOrDefault('watch', entry.watch, () => resolveWatch(entry, defaults)),
    guards: entry.guards === undefined ? noGuards : new Map(Object.entries(entry.guards)),
    queue: resolveQueue(entry, maxPerRun),
    nodeTags: ownOrDefault(
      'nodeTags',
      entry.node_tags,
      () => entry.node_tags ?? defaults.node_tags ?? jobDefaults.node_tags,
    ),
    tags: ownOrDefault('tags', entry.tags, () => entry.tags ?? defaults.tags ?? jobDefaults.tags),
    log: ownOrDefault('log', entry.log, () => resolveLog(entry, defaults, loaded.baseDir), loaded.baseDir),
    metrics: ownOrDefault('metrics', entry.metrics ?? entry.guards, () => resolveMetrics(entry, defaults)),
    priority: entry.priority ?? defaults.priority ?? jobDefaults.priority,
    dryRun: dryRun.default,
    dryRunEnv: dryRun.env,
    alert: ownOrDefault('alert', entry.alert, () => resolveAlert(entry, defaults)),
    ...(template ? { template: { schedules: templateScheduleTexts(entry) } } : {}),
  };
  return { ...job, configHash: hashJob(job) };
}

/**
 * A template's own checks: its schedule's placeholders name declared params, and nothing starts
 * it (no `after:`, no `queue:`; its instances are jobs of their own).
 */
function checkTemplate(entry: JobEntry, at: At, report: Report): void {
  checkTemplateSchedule(entry.schedule, Object.keys(entry.params ?? {}), at('schedule'), report);
  for (const key of ['after', 'queue'] as const) {
    if (entry[key] !== undefined)
      report(at(key), `${key} does not apply to a template: a template never runs itself, its instances do`);
  }
}

function templateScheduleTexts(entry: JobEntry): readonly string[] {
  return entry.schedule === undefined ? [] : scheduleTexts(entry.schedule, []).map(({ text }) => text);
}

/** The built-in placeholders, the job's params and its fan-out keys; a param may not reuse one. */
function placeholdersOf(entry: JobEntry, defaults: JobDefaults, at: At, report: Report): ReadonlySet<string> {
  const forEach = entry.for_each ?? {};
  const hasMaxPerRun = (entry.queue?.max_per_run ?? entry.max_per_run ?? defaults.max_per_run) !== undefined;
  const placeholders = new Set<string>([
    ...builtinPlaceholders,
    ...(hasMaxPerRun ? settingPlaceholders : []),
    ...Object.keys(entry.params ?? {}),
    ...Object.keys(forEach),
  ]);
  const reserved: readonly string[] = [...builtinPlaceholders, ...settingPlaceholders];
  for (const key of Object.keys(entry.params ?? {})) {
    if (key in forEach || reserved.includes(key)) {
      report(
        at('params', key),
        `"${key}" is already a ${key in forEach ? 'for_each key' : 'built-in placeholder'}`,
      );
    }
  }
  return placeholders;
}

/** The top-level env_file's variables, then `defaults.env`, then the job's `env`. */
function resolveEnv(
  entry: JobEntry,
  defaults: JobDefaults,
  shared: SharedParts,
  at: At,
  checkPlaceholders: CheckPlaceholders,
): Readonly<Record<string, MaybeSecret>> {
  const ownEnv = Object.entries({ ...defaults.env, ...entry.env });
  // The top-level env_file's variables, shared by every job that adds none of its own.
  if (ownEnv.length === 0) return shared.fileEnv;
  const merged: Record<string, MaybeSecret> = { ...shared.fileEnv };
  for (const [key, value] of ownEnv) {
    merged[key] = value;
    checkPlaceholders(value instanceof Secret ? value.reveal() : value, at('env', key));
  }
  return merged;
}

/** The job's env files (else `defaults.env_file`), absolute; a leading `-` makes one optional. */
function resolveEnvFiles(entry: JobEntry, defaults: JobDefaults, baseDir: string): EnvFileRef[] {
  return listOf(entry.env_file ?? defaults.env_file).map((item): EnvFileRef => {
    const optional = item.startsWith('-');
    return { path: path.resolve(baseDir, optional ? item.slice(1) : item), optional };
  });
}

/** How the job starts without a person, said when a parameter has no default. */
function automaticStart(entry: JobEntry): string | undefined {
  if (entry.schedule !== undefined) return 'on its schedule';
  if (entry.after !== undefined) return 'after the jobs it follows';
  if (entry.queue !== undefined) return 'for each queued item';
  return undefined;
}

function resolveRetry(entry: JobEntry, defaults: JobDefaults): ResolvedJob['retry'] {
  const retry = entry.retry ?? defaults.retry;
  const fallback = jobDefaults.retry;
  return {
    attempts: retry?.attempts ?? fallback.attempts,
    backoff: retry?.backoff ?? fallback.backoff,
    delayMs: retry?.delay ?? fallback.delay,
    maxDelayMs: retry?.max_delay ?? fallback.max_delay,
    jitter: retry?.jitter ?? fallback.jitter,
  };
}

function resolveExitCodes(entry: JobEntry, defaults: JobDefaults): Map<number, Outcome> {
  const exitCodes = new Map<number, Outcome>();
  for (const [code, outcome] of Object.entries({ ...defaults.exit_codes, ...entry.exit_codes })) {
    exitCodes.set(Number(code), outcome);
  }
  return exitCodes;
}

/** The skip condition's command, split like `run`, with its own time limit. */
function resolveCondition(
  entry: JobEntry,
  at: At,
  report: Report,
  isKnown: (placeholder: string) => boolean,
  checkPlaceholders: CheckPlaceholders,
): ResolvedJob['condition'] {
  const raw = entry.condition;
  if (raw === undefined) return undefined;
  const short = typeof raw === 'string' || Array.isArray(raw);
  const [run, shell, where, timeoutMs] = short
    ? [raw, jobDefaults.shell, at('condition'), undefined]
    : [raw.run, raw.shell ?? jobDefaults.shell, at('condition', 'run'), raw.timeout];
  const condition = { ...splitCommand(run, shell, where, report), timeoutMs };
  checkNames(run, where, checkPlaceholders);
  checkCommandPlaceholders(run, condition, where, isKnown, report);
  return condition;
}

/** The `pre:` commands, each split like `run`. */
function resolvePre(
  entry: JobEntry,
  at: At,
  report: Report,
  isKnown: (placeholder: string) => boolean,
  checkPlaceholders: CheckPlaceholders,
): ResolvedJob['pre'] {
  return (entry.pre ?? []).map((step, index) => {
    const short = typeof step === 'string' || Array.isArray(step);
    const [run, shell, where] = short
      ? [step, jobDefaults.shell, at('pre', index)]
      : [step.run, step.shell ?? jobDefaults.shell, at('pre', index, 'run')];
    const command = splitCommand(run, shell, where, report);
    checkNames(run, where, checkPlaceholders);
    checkCommandPlaceholders(run, command, where, isKnown, report);
    return command;
  });
}

/** Each `{placeholder}` of a command as written is a known one, reported at its column. */
function checkNames(
  run: string | readonly string[],
  where: readonly PropertyKey[],
  check: CheckPlaceholders,
): void {
  if (typeof run === 'string') check(run, where);
  else run.forEach((arg, index) => check(arg, [...where, index]));
}

/**
 * `dry_run` of the job over `defaults:`, each a boolean or `{ default, env, true, false }`: whether
 * runs are dry when no trigger says, and the variable that tells the program. The job's own `env`
 * may not set that variable too (the run's flag would silently lose to it).
 */
function resolveDryRun(
  entry: JobEntry,
  defaults: JobDefaults,
  at: At,
  report: Report,
): { default: boolean; env: ResolvedJob['dryRunEnv'] } {
  const asObject = (value: DryRunEntry | undefined): Partial<Exclude<DryRunEntry, boolean>> =>
    value === undefined ? {} : typeof value === 'boolean' ? { default: value } : value;
  const merged = { ...asObject(defaults.dry_run), ...asObject(entry.dry_run) };
  const env =
    merged.env === undefined
      ? undefined
      : { name: merged.env, whenTrue: merged.true ?? 'true', whenFalse: merged.false ?? 'false' };
  if (env !== undefined) {
    const own = { ...defaults.env, ...entry.env };
    if (Object.hasOwn(own, env.name)) {
      report(
        entry.env !== undefined && Object.hasOwn(entry.env, env.name)
          ? at('env', env.name)
          : at('dry_run', 'env'),
        `${env.name} is set by dry_run.env from each run's dry-run flag; remove it from env`,
      );
    }
  }
  return { default: merged.default ?? jobDefaults.dry_run, env };
}

function resolveLimits(entry: JobEntry, defaults: JobDefaults): ResolvedJob['limits'] {
  const limits = { ...defaults.limits, ...entry.limits };
  return {
    ...(limits.memory === undefined ? {} : { memoryBytes: limits.memory }),
    ...(limits.cpu === undefined ? {} : { cpu: limits.cpu }),
    ...(limits.open_files === undefined ? {} : { openFiles: limits.open_files }),
    ...(limits.processes === undefined ? {} : { processes: limits.processes }),
  };
}

function resolveAlert(entry: JobEntry, defaults: JobDefaults): ResolvedJob['alert'] {
  const alert = { ...defaults.alert, ...entry.alert };
  const message = alert.message === undefined ? undefined : parseAlertTemplate(alert.message);
  return {
    include: alert.include ?? [],
    // The schema refused a template that does not parse.
    message: typeof message === 'string' ? undefined : message,
    outputLines: alert.output_lines ?? defaultAlertOutput.lines,
    outputBytes: alert.output_bytes ?? defaultAlertOutput.bytes,
  };
}

function resolveWatch(entry: JobEntry, defaults: JobDefaults): ResolvedJob['watch'] {
  const watch = { ...defaults.watch, ...entry.watch };
  return {
    ...(watch.expect_success_within === undefined
      ? {}
      : { expectSuccessWithinMs: watch.expect_success_within }),
    ...(watch.consecutive_failures === undefined ? {} : { consecutiveFailures: watch.consecutive_failures }),
    ...(watch.min_duration === undefined ? {} : { minDurationMs: watch.min_duration }),
    ...(watch.slower_than === undefined ? {} : { slowerThan: watch.slower_than }),
    ...(watch.remind_every === undefined ? {} : { remindEveryMs: watch.remind_every }),
    ...(watch.recover_after === undefined ? {} : { recoverAfter: watch.recover_after }),
    ...(watch.skipped_fires === undefined ? {} : { skippedFires: watch.skipped_fires }),
  };
}

function resolveQueue(entry: JobEntry, maxPerRun: number | undefined): ResolvedJob['queue'] {
  const queue = entry.queue;
  if (queue === undefined) return undefined;
  return {
    ...(queue.key === undefined ? {} : { key: queue.key }),
    ...(queue.per_key === undefined ? {} : { perKey: queue.per_key }),
    ...(maxPerRun === undefined ? {} : { maxPerRun }),
  };
}

function resolveLog(entry: JobEntry, defaults: JobDefaults, baseDir: string): ResolvedJob['log'] {
  const log = { ...defaults.log, ...entry.log };
  return {
    ...(log.file === undefined ? {} : { file: path.resolve(baseDir, log.file) }),
    ...(log.max_size === undefined ? {} : { maxSizeBytes: log.max_size }),
    ...(log.keep === undefined ? {} : { keep: log.keep }),
    captureLimitBytes: log.capture_limit ?? jobDefaults.log.capture_limit,
    format: log.format ?? jobDefaults.log.format,
  };
}

/** Guards judge reported numbers: a job with guards reads its last JSON line unless it says otherwise. */
function resolveMetrics(entry: JobEntry, defaults: JobDefaults): ResolvedJob['metrics'] {
  const metrics = entry.metrics ?? defaults.metrics ?? (entry.guards === undefined ? 'none' : 'stdout_json');
  return typeof metrics === 'string'
    ? { from: metrics, field: undefined }
    : { from: metrics.from, field: metrics.field };
}

/** A fan-out: every combination of the `for_each` lists (comma-separated text or a list). */
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

function resolveCwd(cwd: string | undefined, baseDir: string): string | undefined {
  return cwd === undefined ? undefined : path.resolve(baseDir, cwd);
}

function listOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function hashJob(job: Omit<ResolvedJob, 'configHash'>): string {
  // One call, not a Hash object per job: the same hex digest for a fraction of the cost.
  return hash('sha256', resolvedJobJson(job));
}

const noFanOut: readonly Readonly<Record<string, string>>[] = Object.freeze([Object.freeze({})]);
const noPre: ResolvedJob['pre'] = Object.freeze([]);
const noExitCodes: ReadonlyMap<number, Outcome> = new Map();
const noGuards: ResolvedJob['guards'] = new Map();
