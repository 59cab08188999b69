import type { IncidentSink } from '../incidents/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, RunStatus, Store } from '../store/index.ts';
import type { Clock } from '../clock/index.ts';
import type { ExecuteRun, RunResult } from './run-result.ts';

export interface WorkerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly execute: ExecuteRun;
  /** Runs this worker executes at once. */
  readonly slots?: number;
  readonly leaseMs?: number;
  /** How often to look for work that other nodes or delays made due. */
  readonly pollMs?: number;
  /**
   * While no signal can have been missed, a poll claims only this often (default 5 s; see
   * `wake-ups.ts`).
   */
  readonly signalTrustMs?: number;
  /**
   * Claims runs due within this many milliseconds and starts each at its due time from a local
   * timer, so the claim is not between the due moment and the start (default 250; 0: claim at
   * the due moment).
   */
  readonly claimAheadMs?: number;
  /** Only these jobs (node tags); all when absent. */
  readonly jobFilter?: (job: ResolvedJob) => boolean;
  /** Asked before each claim: false (a drain, a scheduler role, a job file unlike the leader's) claims nothing. */
  readonly mayClaim?: () => boolean;
  /**
   * Before claiming on a `runs_queued` signal, wait a random 0..this many real milliseconds
   * (default 10 on PostgreSQL, 0 on SQLite, which serves one node), so that the node whose
   * signal it was does not always claim first.
   */
  readonly wakeJitterMs?: number;
  /** For the wake-up jitter; Math.random by default. */
  readonly random?: () => number;
  /** Where scheduled runs claimed past their start deadline are reported (`schedule:missed`); recorded only, by default. */
  readonly incidents?: IncidentSink;
  /**
   * A run whose lease could not be renewed is stopped this long before the lease, as last
   * granted, expires (default: the kill grace and a second, at most half the lease), so that its
   * process group is gone before another node may take the run over.
   */
  readonly fenceMarginMs?: number;
  /**
   * Told when this worker starts a run's work (not for a run skipped or cancelled before it
   * began); an error it throws is logged and changes nothing.
   */
  readonly onRunStarted?: (run: RunRecord) => void;
  /** Called once a run's end is recorded, with the run as recorded (retries, chains, alerts hang off this). */
  readonly onRunFinished?: (run: RunRecord, status: RunStatus, result: RunResult) => Promise<void>;
}

export const defaultClaimAheadMs = 250;
/** A run's lease, renewed every third of it while the run is held. */
export const defaultRunLeaseMs = 30_000;

/** The lease a worker claims runs with. */
export function runLeaseMs(options: WorkerOptions): number {
  return options.leaseMs ?? defaultRunLeaseMs;
}

/** How far ahead of their due time runs are claimed. */
export function claimAheadMs(options: WorkerOptions): number {
  return options.claimAheadMs ?? defaultClaimAheadMs;
}
