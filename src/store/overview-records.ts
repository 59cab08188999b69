/**
 * What the dashboard's overview reads: the last runs of each job and fan-out key (the strips),
 * and every change of status in the order it was written (the live stream of run changes).
 */
import type { RunStatus } from './run-status.ts';

/** One job and fan-out key ('' for a job that does not fan out). */
export interface RunKey {
  readonly job: string;
  readonly fanKey: string;
}

export interface RecentRunsQuery {
  readonly keys: readonly RunKey[];
  /** Runs per key, newest first: 1 to 100. */
  readonly perKey: number;
}

/** A run as a strip shows it. */
export interface RecentRunRecord {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly status: RunStatus;
  readonly scheduledAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export interface RunChangesQuery {
  /** Changes whose id is above this one. */
  readonly afterId: number;
  /** Also these ids, at or below `afterId` (ids a reader skipped that may commit late). */
  readonly alsoIds?: readonly number[];
  /** Changes per read: 1 to 1,000 (default 500). */
  readonly limit?: number;
}

/** One change of a run's status (a transition row), with what the run shows now. */
export interface RunChangeRecord {
  /** The transition row's id: grows with every row written. */
  readonly id: number;
  readonly runId: number;
  readonly job: string;
  readonly fanKey: string;
  /** The status the run changed to (it may have moved on since). */
  readonly status: RunStatus;
  readonly at: number;
  readonly scheduledAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}
