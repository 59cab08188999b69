/**
 * The records a store keeps about runs. Times are epoch milliseconds; a run's row is its audit
 * record (who asked, with what, when it was due, what happened).
 */
import type { RunStatus } from './run-status.ts';
import type { SecretParams } from './secret-params.ts';

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Why a run exists. */
export const RunTrigger = {
  schedule: 'schedule',
  'catch-up': 'catch-up',
  manual: 'manual',
  api: 'api',
  retry: 'retry',
  chain: 'chain',
} as const;
export type RunTrigger = keyof typeof RunTrigger;

export const LogStream = {
  stdout: 'stdout',
  stderr: 'stderr',
  /** Lines cronplane itself writes about the run (spawned, killed, retried). */
  system: 'system',
} as const;
export type LogStream = keyof typeof LogStream;

export interface RunRecord {
  readonly id: number;
  readonly job: string;
  /** The fan-out value this run is for; `''` when the job does not fan out. */
  readonly fanKey: string;
  readonly params: Readonly<Record<string, string>>;
  readonly payload: JsonValue | null;
  readonly trigger: RunTrigger;
  readonly requestedBy: string | null;
  /** When the fire was due (for manual and API runs: when it was asked for). */
  readonly scheduledAt: number;
  /** Earliest start: the scheduled time plus randomized delay or back-off. */
  readonly runAfter: number;
  /** Higher runs first. */
  readonly priority: number;
  /** Key for per-key rate limits (an organisation, a tenant), if any. */
  readonly rateKey: string | null;
  readonly queuedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** 1-based; retries are new runs with the next attempt. */
  readonly attempt: number;
  /** The first attempt of a retried run; null for a first attempt. */
  readonly firstRunId: number | null;
  readonly status: RunStatus;
  /** Why the run is in its status (the reason of its last transition), if one was given. */
  readonly statusReason: string | null;
  /** Number of transitions recorded; the `seq` of the last one. */
  readonly statusSeq: number;
  readonly exitCode: number | null;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly dryRun: boolean;
  /** The node that claimed (ran) it. */
  readonly node: string | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: number | null;
  /** `job|fan_key|scheduled_at|attempt` for scheduler-made runs (see `makeFireKey`), else null. */
  readonly fireKey: string | null;
  /** Bytes of output stored and whether the caller cut some off at its cap. */
  readonly logBytes: number;
  readonly logTruncated: boolean;
  /**
   * The values of its secret parameters (`***` in `params`), present only while the run is
   * pending or running: the store clears them when it ends. Prints as `***`.
   */
  readonly secretParams?: SecretParams;
}

/** A run to queue (or to record as skipped without running). */
export interface NewRun {
  readonly job: string;
  readonly fanKey?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** The values of the secret parameters, kept apart (`params` says `***` for them). */
  readonly secretParams?: SecretParams;
  readonly payload?: JsonValue | null;
  readonly trigger: RunTrigger;
  readonly requestedBy?: string | null;
  readonly scheduledAt: number;
  /** Defaults to `scheduledAt`. */
  readonly runAfter?: number;
  readonly priority?: number;
  readonly rateKey?: string | null;
  readonly queuedAt: number;
  readonly attempt?: number;
  readonly firstRunId?: number | null;
  readonly dryRun?: boolean;
  readonly fireKey?: string | null;
  /**
   * `pending` (default) queues it; `held` records a queue item that waits for its release;
   * `skipped` records a fire that will not run.
   */
  readonly status?: 'held' | 'pending' | 'skipped';
  /** Reason of the creating transition (default: the trigger). */
  readonly reason?: string | null;
  readonly error?: string | null;
  /**
   * The job's `cooldown` (ms) when the run was planned; null or absent for a job without one. Only
   * runs with one count as starts for `Store.lastRunStarts`, so other jobs' runs cost its index nothing.
   */
  readonly cooldownMs?: number | null;
}

/** One row of a run's history: a change of status. The creating row has `from: null`. */
export interface RunTransition {
  readonly runId: number;
  readonly seq: number;
  readonly at: number;
  readonly from: RunStatus | null;
  readonly to: RunStatus;
  readonly reason: string | null;
  readonly node: string | null;
}

export interface LogChunk {
  readonly runId: number;
  readonly seq: number;
  readonly at: number;
  readonly stream: LogStream;
  readonly chunk: string;
}

/**
 * The unique key of a scheduler-made run, so a fire can never be recorded twice, even by two
 * nodes that both think they lead.
 */
export function makeFireKey(job: string, fanKey: string, scheduledAt: number, attempt: number): string {
  return `${job}|${fanKey}|${scheduledAt}|${attempt}`;
}

export function isRunTrigger(value: unknown): value is RunTrigger {
  return typeof value === 'string' && Object.hasOwn(RunTrigger, value);
}

export function isLogStream(value: unknown): value is LogStream {
  return typeof value === 'string' && Object.hasOwn(LogStream, value);
}
