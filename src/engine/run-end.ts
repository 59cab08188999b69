import type { ResolvedJob } from '../config/index.ts';
import type { RunRecord } from '../store/index.ts';
import type { RunResult } from './run-result.ts';

/**
 * A run that ended, as the engine hands it to listeners once it has decided on a retry: the run
 * as recorded (status, start and end, exit code, error), its job, and whether a retry follows.
 */
export interface RunEnd {
  readonly run: RunRecord;
  readonly job: ResolvedJob;
  /** A retry run was queued: the failure is not final yet. */
  readonly willRetry: boolean;
  /** What the executor said (metrics included); absent for a run found `lost`. */
  readonly result?: RunResult;
}

/** Called after each run's end; an error it throws is logged, never breaks the engine. */
export type RunEndListener = (end: RunEnd) => void | Promise<void>;
