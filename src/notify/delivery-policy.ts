/** How a notification is retried: exponential back-off with a cap, and a time limit per attempt. */
export interface DeliveryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  readonly attempts: number;
  /** The wait before the second attempt; each later wait is `factor` times the previous one. */
  readonly delayMs: number;
  readonly factor: number;
  /** No wait is longer than this, whatever the back-off or a Retry-After answer says. */
  readonly maxDelayMs: number;
  /** Random spread added to each wait, as a fraction of it (0.1 = up to 10% longer). */
  readonly jitter: number;
  /** One attempt (connect, send, answer) is abandoned after this long and counts as failed. */
  readonly attemptTimeoutMs: number;
}

/** 8 attempts over about four minutes: 2 s, 4 s, 8 s ... 128 s between them; 10 s per attempt. */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  attempts: 8,
  delayMs: 2_000,
  factor: 2,
  maxDelayMs: 300_000,
  jitter: 0.1,
  attemptTimeoutMs: 10_000,
};

/**
 * The wait after failed attempt `attempt` (1-based): `delayMs × factor^(attempt-1)`, plus jitter,
 * at least what the receiver asked for (Retry-After), never more than `maxDelayMs`.
 */
export function retryDelay(
  policy: DeliveryPolicy,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const base = policy.delayMs * policy.factor ** (attempt - 1);
  const spread = base * policy.jitter * random();
  return Math.round(Math.min(policy.maxDelayMs, Math.max(base + spread, retryAfterMs ?? 0)));
}
