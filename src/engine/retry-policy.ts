import type { RetryPolicy } from '../config/index.ts';
import type { RunStatus } from '../store/index.ts';

/**
 * Statuses that a retry may mend: the run failed, ran out of time, or its node died. A
 * `critical` or `warning` outcome is an answer the job gave on purpose (exit code 1 = drift
 * detected), so it is alerted on, not retried.
 */
export const retryableStatuses: ReadonlySet<RunStatus> = new Set<RunStatus>(['failed', 'timed_out', 'lost']);

export function shouldRetry(policy: RetryPolicy, status: RunStatus, attempt: number): boolean {
  return retryableStatuses.has(status) && attempt < policy.attempts;
}

/**
 * Milliseconds to wait before attempt `attempt + 1`: `delay` (fixed) or `delay * 2^(attempt-1)`
 * (exponential), capped at `max_delay`, plus up to `jitter` of itself at random.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base =
    policy.backoff === 'fixed'
      ? policy.delayMs
      : policy.delayMs * 2 ** Math.min(Math.max(0, attempt - 1), 40);
  const capped = Math.min(base, policy.maxDelayMs);
  return Math.round(capped + capped * policy.jitter * random());
}
