import type { EnvFileRef, JobTarget, MaybeSecret, Outcome, ResolvedJob, Secret } from '../config/index.ts';
import type { BodyAssertion } from './body-assertion.ts';

/** Grace between SIGTERM and SIGKILL when a run is stopped (systemd's TimeoutStopSec is 90 s; cron has none). */
export const defaultKillGraceMs = 10_000;

/** Resource limits for a command; each is enforced by the best means the machine offers. */
export interface CommandLimits {
  readonly memoryBytes?: number;
  /** Share of one core: 0.5 is half a core, 2 is two cores. */
  readonly cpu?: number;
  readonly openFiles?: number;
  readonly processes?: number;
}

/** A check run before the job, as systemd's ExecCondition=: 0 runs the job, 1-254 skip it, else fail. */
export interface SkipCondition {
  readonly argv: readonly string[];
  readonly shell: boolean;
  readonly timeoutMs: number | undefined;
}

/** A command run before the main one (`pre:`), as systemd's ExecStartPre=. */
export interface PreStep {
  readonly argv: readonly string[];
  readonly shell: boolean;
}

/** A command job's target (`run:`). */
export interface CommandTarget {
  readonly kind: 'command';
  /** argv when `shell` is false; a single shell line when true. */
  readonly argv: readonly string[];
  readonly shell: boolean;
}

/** An HTTP job's target (`http:`). */
export interface HttpTarget {
  readonly kind: 'http';
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, MaybeSecret>>;
  readonly bearer: Secret | undefined;
  readonly body: string | undefined;
  readonly expectStatus: readonly number[] | undefined;
  /** Checks of the response body; none when the job has no `expect_body`. */
  readonly expectBody: readonly BodyAssertion[];
  readonly metricsField: string | undefined;
}

/** A module job's target (`module:`). */
export interface ModuleTarget {
  readonly kind: 'module';
  /** Absolute path of the module. */
  readonly path: string;
  readonly exportName: string;
}

/** Everything the command executor needs: the command and the job settings around it. */
export interface CommandSpec extends CommandTarget {
  readonly cwd: string | undefined;
  readonly user: string | undefined;
  readonly group: string | undefined;
  /** Values may be secrets; they are revealed only into the child's environment. */
  readonly env: Readonly<Record<string, MaybeSecret>>;
  /** Read at each start, after `env` (their values win, as systemd's EnvironmentFile= over Environment=). */
  readonly envFiles: readonly EnvFileRef[];
  readonly limits: CommandLimits;
  /** Exit code → outcome for listed codes; others: 0 success, anything else failure. */
  readonly exitCodes: ReadonlyMap<number, Outcome>;
  readonly condition: SkipCondition | undefined;
  /** Commands run in order before the main one (`pre:`); the first that fails ends the run. */
  readonly pre: readonly PreStep[];
  /** The variable given each run's dry-run flag (`dry_run.env`), if the job names one. */
  readonly dryRunEnv: ResolvedJob['dryRunEnv'];
  /** Read metrics from the last JSON-object line of stdout. */
  readonly metricsFromStdout: boolean;
}

export type HttpSpec = HttpTarget;
export type ModuleSpec = ModuleTarget;
/**
 * What an executor is handed: a job's target with the job settings its kind uses (a `CommandSpec`,
 * an `HttpSpec`, a `ModuleSpec`, or a kind of a caller's own), discriminated on `kind`.
 */
export type ExecutionTarget = JobTarget;

/** One run for an executor to carry out. */
export interface ExecutionRequest<Target extends ExecutionTarget = ExecutionTarget> {
  readonly runId: string;
  readonly job: string;
  /** 1-based. */
  readonly attempt: number;
  /**
   * Placeholder values: the fan-out values and the built-ins `job`, `run_id`, `attempt`,
   * `scheduled_at` and `fan_key`.
   */
  readonly params: Readonly<Record<string, string>>;
  /** Values of the run's secret parameters (they are in `params` too): masked in its output. */
  readonly secretValues?: readonly string[];
  /** The queued item for queue jobs (any JSON), else undefined. */
  readonly payload: unknown;
  readonly dryRun: boolean;
  /** Stop the work after this long (timed_out); no limit when undefined. */
  readonly timeoutMs: number | undefined;
  /** SIGTERM → SIGKILL grace when stopping a command; for a module, how long to wait for it to settle. */
  readonly killGraceMs?: number;
  /** Output bytes kept (stdout and stderr together, or the response body); the rest is counted and dropped. */
  readonly captureLimitBytes: number;
  readonly target: Target;
}
