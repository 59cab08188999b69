import type { BackoffPolicy } from './backoff-policy.ts';

/**
 * Milliseconds to wait before attempt `attempt + 1`: `delay` (fixed) or `delay * 2^(attempt-1)`
 * (exponential), capped at `max_delay`, plus up to `jitter` of itself at random.
 */
export function retryDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base =
    policy.backoff === 'fixed'
      ? policy.delayMs
      : policy.delayMs * 2 ** Math.min(Math.max(0, attempt - 1), 40);
  const capped = Math.min(base, policy.maxDelayMs);
  return Math.round(capped + capped * policy.jitter * random());
}
