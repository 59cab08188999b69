/**
 * Waiting between attempts: the one rule for how a wait grows (a run's retries, a loop's
 * back-off while the store fails). It imports nothing of cronplane, so every layer may use it.
 */
export type { BackoffPolicy } from './backoff-policy.ts';
export { retryDelay } from './retry-delay.ts';
export { Backoff, storeRetryPolicy } from './backoff.ts';
