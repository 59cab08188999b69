import type { RetryPolicy } from '../config/index.ts';
import type { RunStatus } from '../store/index.ts';

/**
 * Statuses that a retry may mend: the run failed, ran out of time, or its node died. A
 * `critical` or `warning` outcome is an answer the job gave on purpose (exit code 1 = drift
 * detected), so it is alerted on, not retried.
 */
export const automaticRetryStatuses: ReadonlySet<RunStatus> = new Set<RunStatus>([
  'failed',
  'timed_out',
  'lost',
]);

export function shouldRetry(policy: RetryPolicy, status: RunStatus, attempt: number): boolean {
  return automaticRetryStatuses.has(status) && attempt < policy.attempts;
}
