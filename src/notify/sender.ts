import type { Notification } from './notification.ts';

/** What one attempt of a sender may use; built by `deliver` per attempt. */
export interface SendContext {
  /** Aborts when the attempt times out or the delivery is abandoned. */
  readonly signal: AbortSignal;
  /** The attempt's time limit, for transports that take timeouts rather than a signal (SMTP). */
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
  /** Wall-clock milliseconds: timestamps in the message and the webhook signature. */
  readonly now: () => number;
  /** The same for every attempt of one delivery, so a receiver can drop a repeat. */
  readonly deliveryId: string;
}

/** What a receiver said when it took the notification. */
export interface SendResult {
  /** HTTP status, or 250 for an accepted e-mail. */
  readonly status: number;
  /** Something worth recording: PagerDuty's dedup_key, the e-mail's Message-ID. */
  readonly detail?: string;
}

/**
 * Hands one notification to one kind of channel, once. Throws a `DeliveryError` that says
 * whether another attempt may help; retries, time limits and redaction are `deliver`'s work.
 */
export type Sender<Settings> = (
  settings: Settings,
  notification: Notification,
  context: SendContext,
) => Promise<SendResult>;
