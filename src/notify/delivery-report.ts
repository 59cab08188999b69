import type { Severity } from '../config/index.ts';
import type { NotificationKind } from './notification.ts';

/** One try to hand a notification to a channel. Plain data: it is stored as an event's details. */
export interface DeliveryAttempt {
  /** 1-based. */
  readonly attempt: number;
  /** When it started, Unix milliseconds. */
  readonly at: number;
  readonly durationMs: number;
  readonly outcome: 'delivered' | 'failed';
  /** HTTP status or SMTP reply code, when the receiver answered. */
  readonly status?: number;
  /** Why it failed, secrets masked. */
  readonly error?: string;
  readonly retryable?: boolean;
  /** What the receiver said on success: PagerDuty's dedup key, the e-mail's Message-ID. */
  readonly detail?: string;
  /** The wait before the next attempt, when there is one. */
  readonly nextDelayMs?: number;
}

interface DeliveryReportBase {
  readonly channel: string;
  /** The channel's kind: `slack`, `pagerduty`, ... */
  readonly channelKind: string;
  readonly notification: {
    readonly kind: NotificationKind;
    readonly dedupKey: string;
    readonly severity: Severity;
    readonly title: string;
    readonly job?: string;
    readonly runId?: number | string;
  };
  /** The same on every attempt (and in the webhook's X-Cronplane-Delivery header). */
  readonly deliveryId: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly attempts: readonly DeliveryAttempt[];
}

/**
 * What became of one notification on one channel: delivered, failed after its attempts (or at
 * once, when retrying cannot help), or held back by quiet hours. Never holds a secret.
 */
export type DeliveryReport =
  | (DeliveryReportBase & { readonly outcome: 'delivered' })
  | (DeliveryReportBase & { readonly outcome: 'failed'; readonly error: string })
  | (DeliveryReportBase & { readonly outcome: 'suppressed'; readonly reason: string });

export type DeliveryOutcome = DeliveryReport['outcome'];
