import { createHmac, timingSafeEqual } from 'node:crypto';
import { Secret } from '../config/index.ts';
import { postBody } from './http-post.ts';
import type { Notification } from './notification.ts';
import type { Sender } from './sender.ts';

/** What this sender reads of a webhook channel's settings. */
export interface WebhookSettings {
  readonly url: string;
  readonly secret?: Secret | undefined;
  readonly headers?: Readonly<Record<string, string | Secret>> | undefined;
}

/** Headers of a webhook request (lower case, as Node's http server reports them). */
export const webhookHeaders = {
  signature: 'x-cronplane-signature',
  timestamp: 'x-cronplane-timestamp',
  delivery: 'x-cronplane-delivery',
  kind: 'x-cronplane-kind',
} as const;

/** The JSON body of a webhook: the notification, snake_case, with a format version. */
export function webhookBody(notification: Notification): string {
  return JSON.stringify({
    version: 1,
    kind: notification.kind,
    dedup_key: notification.dedupKey,
    severity: notification.severity,
    title: notification.title,
    summary: notification.summary,
    ...(notification.job === undefined ? {} : { job: notification.job }),
    ...(notification.runId === undefined ? {} : { run_id: notification.runId }),
    ...(notification.event === undefined ? {} : { event: notification.event }),
    details: notification.details,
    ...(notification.link === undefined ? {} : { link: notification.link }),
  });
}

/**
 * `sha256=HEX`: HMAC-SHA256, keyed with the channel's secret, of the timestamp header's value,
 * a dot, and the raw body bytes. Signing the timestamp lets a receiver refuse old replays.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookVerification {
  readonly secret: string;
  /** The raw body, exactly as received (before any JSON parsing). */
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /** Unix milliseconds; the receiver's clock. */
  readonly now?: number;
  /** How old (or how far ahead) a timestamp may be; 5 minutes by default. */
  readonly toleranceSeconds?: number;
}

/** What a receiver does: true when the signature matches and the timestamp is recent. */
export function verifyWebhookSignature(check: WebhookVerification): boolean {
  if (check.timestamp === undefined || check.signature === undefined) return false;
  if (!/^\d+$/.test(check.timestamp)) return false;
  const age = Math.abs((check.now ?? Date.now()) / 1000 - Number(check.timestamp));
  if (age > (check.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(check.secret, check.timestamp, check.body));
  const given = Buffer.from(check.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * POSTs the JSON body with the channel's headers, then cronplane's own (which win): kind,
 * delivery id (the same on every retry), timestamp (Unix seconds) and, with a secret, the
 * signature. Each attempt is signed afresh with its own timestamp.
 */
export const sendWebhook: Sender<WebhookSettings> = async (settings, notification, context) => {
  const body = webhookBody(notification);
  const timestamp = String(Math.floor(context.now() / 1000));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings.headers ?? {})) {
    headers[name.toLowerCase()] = value instanceof Secret ? value.reveal() : value;
  }
  Object.assign(headers, {
    'content-type': 'application/json',
    [webhookHeaders.kind]: notification.kind,
    [webhookHeaders.delivery]: context.deliveryId,
    [webhookHeaders.timestamp]: timestamp,
    ...(settings.secret === undefined
      ? {}
      : { [webhookHeaders.signature]: signWebhook(settings.secret.reveal(), timestamp, body) }),
  });
  const answer = await postBody(settings.url, body, headers, context);
  return { status: answer.status };
};
