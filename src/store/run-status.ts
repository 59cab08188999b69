/**
 * The status of a run: a stored union, never derived from timestamps. Every change of status is
 * a compare-and-set in the store and leaves one row in `run_transitions`.
 */
import { CronplaneError } from '../errors/index.ts';

export const RunStatus = {
  /**
   * A queue item waiting for its release: no worker claims it until the queue drainer makes it
   * `pending` (each release a transition row).
   */
  held: 'held',
  /** Queued, waiting for `run_after` and a free worker. */
  pending: 'pending',
  /** Claimed by a node, which holds its lease. */
  running: 'running',
  succeeded: 'succeeded',
  /** Finished with an exit code the job declared as a warning. */
  warning: 'warning',
  failed: 'failed',
  /** Finished with an exit code the job declared as critical. */
  critical: 'critical',
  /** Nothing to do: a skip condition, or a fire skipped by the concurrency policy. */
  skipped: 'skipped',
  timed_out: 'timed_out',
  cancelled: 'cancelled',
  /** Its lease expired while running: the node that ran it died or lost the database. */
  lost: 'lost',
} as const;
export type RunStatus = keyof typeof RunStatus;

/** Which status may follow which. A status with no successor is terminal. */
export const runStatusTransitions: { readonly [From in RunStatus]: readonly RunStatus[] } = {
  held: ['pending', 'cancelled'],
  pending: ['running', 'skipped', 'cancelled'],
  running: ['succeeded', 'warning', 'failed', 'critical', 'skipped', 'timed_out', 'cancelled', 'lost'],
  succeeded: [],
  warning: [],
  failed: [],
  critical: [],
  skipped: [],
  timed_out: [],
  cancelled: [],
  lost: [],
};

/**
 * The statuses a run may be created in: held (a queue item, or the retry of one), queued, or
 * recorded as skipped without running.
 */
export const initialRunStatuses: readonly RunStatus[] = ['held', 'pending', 'skipped'];

/** The statuses a running run may finish in (`finishRun`). */
export const finishedRunStatuses: readonly RunStatus[] = runStatusTransitions.running;

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && Object.hasOwn(RunStatus, value);
}

export function isTerminalRunStatus(status: RunStatus): boolean {
  return runStatusTransitions[status].length === 0;
}

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return runStatusTransitions[from].includes(to);
}

export function assertRunStatus(value: unknown, path = 'status'): RunStatus {
  if (isRunStatus(value)) return value;
  throw new CronplaneError(
    'store.status',
    `Unknown run status ${JSON.stringify(value)}; expected one of: ${Object.keys(RunStatus).join(', ')}.`,
    { location: { path } },
  );
}

/** Throws `store.transition` unless `to` may follow `from`, naming the statuses that may. */
export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (canTransition(from, to)) return;
  const allowed = runStatusTransitions[from];
  throw new CronplaneError(
    'store.transition',
    `A run cannot go from ${from} to ${to}; ` +
      (allowed.length === 0 ? `${from} is terminal.` : `from ${from} it may go to: ${allowed.join(', ')}.`),
  );
}
