import { CronplaneError } from '../errors/index.ts';

export interface DeliveryErrorOptions {
  /** True when the same request may succeed later: a network error, a timeout, HTTP 5xx, 408, 429. */
  readonly retryable: boolean;
  /** The HTTP status or SMTP reply code, when the receiver answered. */
  readonly status?: number;
  /** How long the receiver asked us to wait (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/** One failed attempt to hand a notification over; says whether trying again may help. */
export class DeliveryError extends CronplaneError {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: DeliveryErrorOptions) {
    super('notify.delivery', message, { retryable: options.retryable, cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** HTTP statuses worth another try: the receiver is down, busy or asked us to slow down. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}
