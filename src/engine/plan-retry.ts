import type { ResolvedJob } from '../config/index.ts';
import type { NewRun, RunRecord } from '../store/index.ts';
import { heldRunAfter } from '../queue/held-run-after.ts';

export interface RetryRequest {
  readonly now: number;
  /** How long after `now` the retry may start: the back-off, or 0 for a retry asked by hand. */
  readonly delayMs: number;
  /** The attempt number of the retry. */
  readonly attempt: number;
  readonly requestedBy: string | null;
  /** Recorded on the retry's first transition. */
  readonly reason?: string;
}

/**
 * The next attempt of a run that ended: same job, fan-out key, parameters and payload, trigger
 * `retry`, one per attempt (its fire key). A queue item waits for the drainer again, so its
 * retry keeps to the per-key limit. Used by the engine's automatic retries and by retries asked
 * for by hand, so both make the same run.
 */
export function planRetry(run: RunRecord, job: ResolvedJob, request: RetryRequest): NewRun {
  const firstRunId = run.firstRunId ?? run.id;
  return {
    job: run.job,
    fanKey: run.fanKey,
    params: run.params,
    // Read when the run was claimed (or lost): the store cleared its own copy as it ended.
    ...(run.secretParams === undefined ? {} : { secretParams: run.secretParams }),
    payload: run.payload,
    trigger: 'retry',
    requestedBy: request.requestedBy,
    scheduledAt: run.scheduledAt,
    runAfter: job.queue === undefined ? request.now + request.delayMs : heldRunAfter,
    priority: run.priority,
    rateKey: run.rateKey,
    queuedAt: request.now,
    attempt: request.attempt,
    firstRunId,
    dryRun: run.dryRun,
    fireKey: `retry|${firstRunId}|${request.attempt}`,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
}
