import type { BackoffPolicy } from './backoff-policy.ts';
import { retryDelay } from './retry-delay.ts';

/**
 * How a loop waits between attempts while the store fails: 100 ms, doubling, capped at 4 s,
 * plus up to a quarter of itself at random (so never more than 5 s, and nodes that lost the
 * store together do not come back in step), and never giving up. The same rule as a run's retries
 * (`retryDelay`).
 */
export const storeRetryPolicy: BackoffPolicy = {
  backoff: 'exponential',
  delayMs: 100,
  maxDelayMs: 4000,
  jitter: 0.25,
};

/**
 * The waits of one loop that retries: each failure waits longer (`next()`), a success starts
 * over (`reset()`). One per loop, so a loop that works is not slowed by one that fails.
 */
export class Backoff {
  readonly #policy: BackoffPolicy;
  readonly #random: () => number;
  #failures = 0;

  constructor(options: { readonly policy?: BackoffPolicy; readonly random?: () => number } = {}) {
    this.#policy = options.policy ?? storeRetryPolicy;
    this.#random = options.random ?? Math.random;
  }

  /** Failures since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** Counts a failure and answers how long to wait before the next attempt, in ms. */
  next(): number {
    this.#failures += 1;
    return retryDelay(this.#policy, this.#failures, this.#random);
  }

  /** The last attempt worked: the next failure waits the shortest time again. */
  reset(): void {
    this.#failures = 0;
  }
}
