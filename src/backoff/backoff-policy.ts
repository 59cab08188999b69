/**
 * How the waits between attempts grow: `delayMs` each time (fixed) or doubling from it
 * (exponential), capped at `maxDelayMs`, plus up to `jitter` of itself at random. A job's
 * `RetryPolicy` is one (with its number of attempts); so is the store's back-off.
 */
export interface BackoffPolicy {
  readonly backoff: 'fixed' | 'exponential';
  readonly delayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
}
