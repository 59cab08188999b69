import type { TemplatePart } from './alert-template.ts';
import type { ScheduleSpec } from '../calendar/index.ts';
import type {
  CatchUpPolicy,
  ChannelEntry,
  ConcurrencyPolicy,
  GuardEntry,
  MonitorEntry,
  NotifyKey,
  Outcome,
} from './job-file-schema.ts';
import type { JobFileKinds, JobTarget } from './job-file-kinds.ts';
import type { ConfigProblem } from './config-problems.ts';
import type { LoadedJobFile } from './load-job-file.ts';
import type { ParamSpec } from './param-spec.ts';
import type { MaybeSecret } from './secret.ts';

/**
 * The configuration the engine works from: defaults applied, durations in milliseconds, paths
 * absolute, schedules parsed, fan-out lists expanded. Built once at start-up from the job file.
 */
export interface ResolvedConfig {
  readonly file: string;
  readonly timezone: string;
  /** Store URL from the job file, when it names one (flags and environment may override it). */
  readonly store: string | undefined;
  readonly listen: string | undefined;
  readonly publicUrl: string | undefined;
  readonly jobs: readonly ResolvedJob[];
  readonly channels: ReadonlyMap<string, ChannelEntry>;
  /** `defaults.notify`: routes what concerns no job (the scheduler itself, a channel that fails). */
  readonly notify: Readonly<Partial<Record<NotifyKey, readonly string[]>>>;
  readonly monitors: readonly ResolvedMonitor[];
  /** `retention:` in milliseconds; a part that is absent keeps everything. */
  readonly retention: Retention;
  /** `alerts:`: how notifications are grouped. */
  readonly alerts: { readonly groupWindowMs: number; readonly groupWaitMs: number };
  /** The channel and executor kinds the file was read with: they say which values are secret. */
  readonly kinds: JobFileKinds;
  /**
   * `${VAR}` references left as written because VAR is not set, located (only when read with
   * `unsetVariables: 'leave'`): the values holding them are unusable.
   */
  readonly unresolved?: readonly ConfigProblem[];
  /** The job file as read: jobs defined through the API are resolved against it (`resolveJobEntry`). */
  readonly loaded?: LoadedJobFile;
  /**
   * `after:` names of the file's jobs that are not jobs of the file, located (only when read with
   * `jobsBeyond: 'api'`): each must be a job defined through the API, which `checkAfterApiJobs`
   * checks once the store is open. The message is the problem told if it is not.
   */
  readonly afterOutsideFile?: readonly AfterOutsideFile[];
}

/** A file job's `after:` entry naming a job outside the file, where it is written. */
export interface AfterOutsideFile extends ConfigProblem {
  /** The file's job that runs after it. */
  readonly job: string;
  /** The name it runs after. */
  readonly name: string;
}

export interface ResolvedAlert {
  /** Metrics, facts or `payload.FIELD`s shown as details, in order. */
  readonly include: readonly string[];
  /** The `message:` template, parsed; undefined when the job gives none. */
  readonly message: readonly TemplatePart[] | undefined;
  readonly outputLines: number;
  readonly outputBytes: number;
}

export interface Retention {
  readonly runsMs?: number;
  readonly logsMs?: number;
  readonly pingsMs?: number;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly backoff: 'fixed' | 'exponential';
  readonly delayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
}

export interface ResolvedSchedule {
  readonly text: string;
  readonly spec: ScheduleSpec;
}

export interface EnvFileRef {
  readonly path: string;
  readonly optional: boolean;
}

export interface ResolvedJob {
  readonly name: string;
  readonly description: string | undefined;
  readonly enabled: boolean;
  readonly schedules: readonly ResolvedSchedule[];
  readonly after: readonly string[];
  readonly timezone: string;
  readonly target: JobTarget;
  readonly cwd: string | undefined;
  readonly user: string | undefined;
  readonly group: string | undefined;
  /** The top-level env_file's variables, then the job's `env`; per-job env files are read at each start. */
  readonly env: Readonly<Record<string, MaybeSecret>>;
  readonly envFiles: readonly EnvFileRef[];
  /**
   * Parameters a trigger may set (placeholders too), each with its type, rule and default;
   * `paramDefaults(job.params)` gives the values of a run no trigger gave any.
   */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** One entry per run of a fire: placeholder name → value. `[{}]` when the job does not fan out. */
  readonly fanOut: readonly Readonly<Record<string, string>>[];
  readonly timeoutMs: number | undefined;
  readonly maxRuntimeMs: number | undefined;
  readonly startDeadlineMs: number | undefined;
  readonly retry: RetryPolicy;
  readonly concurrency: ConcurrencyPolicy;
  readonly maxParallel: number | undefined;
  /**
   * `cooldown`: the least time between the starts of two runs of the job (per fan-out key); a
   * fire inside it is recorded skipped, a manual trigger refused unless forced.
   */
  readonly cooldownMs: number | undefined;
  /**
   * `max_per_run`: how many items one run may process; `queue.max_per_run` when the job has a
   * queue that says it. A run gets it as `CRONPLANE_MAX_PER_RUN` and `{max_per_run}`.
   */
  readonly maxPerRun: number | undefined;
  readonly catchUp: CatchUpPolicy;
  readonly catchUpWindowMs: number | undefined;
  readonly randomizedDelayMs: number;
  readonly limits: {
    readonly memoryBytes?: number;
    readonly cpu?: number;
    readonly openFiles?: number;
    readonly processes?: number;
  };
  /** Exit code → outcome for the codes the job file lists; others: 0 success, else failure. */
  readonly exitCodes: ReadonlyMap<number, Outcome>;
  readonly condition:
    | { readonly argv: readonly string[]; readonly shell: boolean; readonly timeoutMs: number | undefined }
    | undefined;
  /** `pre:` commands, run in order before the main one; none when the job has no `pre`. */
  readonly pre: readonly { readonly argv: readonly string[]; readonly shell: boolean }[];
  readonly notify: Readonly<Partial<Record<NotifyKey, readonly string[]>>>;
  readonly watch: {
    readonly expectSuccessWithinMs?: number;
    readonly consecutiveFailures?: number;
    readonly minDurationMs?: number;
    readonly slowerThan?: number;
    readonly remindEveryMs?: number;
    readonly recoverAfter?: number;
    /**
     * `watch.skipped_fires`: fires in a row skipped by `concurrency: forbid` that raise an event; 0
     * never; `jobDefaults.watch.skipped_fires` when the job file says nothing.
     */
    readonly skippedFires?: number;
  };
  readonly guards: ReadonlyMap<string, GuardEntry>;
  readonly queue:
    { readonly key?: string; readonly perKey?: number; readonly maxPerRun?: number } | undefined;
  readonly nodeTags: readonly string[];
  /** Labels people filter jobs by; none when neither the job nor `defaults:` gives any. */
  readonly tags: readonly string[];
  readonly log: {
    readonly file?: string;
    readonly maxSizeBytes?: number;
    readonly keep?: number;
    readonly captureLimitBytes: number;
    readonly format: 'text' | 'json';
  };
  readonly metrics: {
    readonly from: 'stdout_json' | 'http_json' | 'none';
    readonly field: string | undefined;
  };
  readonly priority: number;
  /** Whether a run is dry when its trigger does not say (every scheduled, chained or queued run). */
  readonly dryRun: boolean;
  /** `alert:`: what a failure alert carries besides its title (docs/alerts.md#evidence). */
  readonly alert: ResolvedAlert;
  /** `dry_run.env`: the variable a command gets from each run's dry-run flag, and its two values. */
  readonly dryRunEnv:
    { readonly name: string; readonly whenTrue: string; readonly whenFalse: string } | undefined;
  /**
   * Set on a template (`template: true`): it never runs itself (no schedule in force, no trigger);
   * `schedules` are its schedule texts as written, placeholders and all.
   */
  readonly template?: { readonly schedules: readonly string[] };
  /** Set on an instance of a template: the template, the instance's key and its bound params. */
  readonly instance?: {
    readonly template: string;
    readonly key: string;
    readonly params: Readonly<Record<string, string>>;
  };
  /** sha256 of the job's settings with secrets masked: changes when the job changes. */
  readonly configHash: string;
}

export interface ResolvedMonitor {
  readonly name: string;
  readonly entry: MonitorEntry;
  /** `defaults.notify` with the monitor's own keys over it, as for a job. */
  readonly notify: Readonly<Partial<Record<NotifyKey, readonly string[]>>>;
  /** `remind_every`, else `defaults.watch.remind_every`: how often a down monitor is told again. */
  readonly remindEveryMs: number | undefined;
  readonly schedules: readonly ResolvedSchedule[];
  readonly timezone: string;
}
