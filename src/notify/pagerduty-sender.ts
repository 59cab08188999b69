import type { Secret } from '../config/index.ts';
import { createHash } from 'node:crypto';
import type { Severity } from '../config/index.ts';
import { postBody } from './http-post.ts';
import type { Notification } from './notification.ts';
import { truncate } from './notification.ts';
import type { Sender, SendContext } from './sender.ts';

/** What this sender reads of a pagerduty channel's settings. */
export interface PagerdutySettings {
  readonly routing_key: Secret;
  readonly url?: string | undefined;
}

/** PagerDuty's Events API v2 endpoint; a channel's `url` replaces it. */
export const pagerdutyEndpoint = 'https://events.pagerduty.com/v2/enqueue';

/** cronplane's severities in PagerDuty's words. */
export const pagerdutySeverity = {
  info: 'info',
  warning: 'warning',
  failure: 'error',
  critical: 'critical',
} as const satisfies Record<Severity, string>;

/** PagerDuty keeps dedup keys up to 255 characters; a longer key is replaced by its hash. */
export function pagerdutyDedupKey(dedupKey: string): string {
  if (dedupKey.length <= 255) return dedupKey;
  return `cronplane-${createHash('sha256').update(dedupKey).digest('hex')}`;
}

/**
 * The Events v2 body for a notification: a `trigger` with the payload PagerDuty shows, or a
 * `resolve` that names only the dedup key. A test notification is a trigger here (and
 * `sendPagerduty` resolves it at once).
 */
export function pagerdutyEvent(notification: Notification, routingKey: string, now: number): object {
  const dedupKey = pagerdutyDedupKey(notification.dedupKey);
  if (notification.kind === 'resolve') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  const firstLine = notification.summary.trim().split('\n')[0] ?? '';
  const customDetails: Record<string, string | number> = {};
  if (notification.summary.trim() !== '') customDetails['summary'] = notification.summary.trim();
  if (notification.job !== undefined) customDetails['job'] = notification.job;
  if (notification.runId !== undefined) customDetails['run_id'] = notification.runId;
  Object.assign(customDetails, notification.details);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: truncate(`${notification.title}${firstLine === '' ? '' : `: ${firstLine}`}`, 1024),
      source: notification.job ?? 'cronplane',
      severity: pagerdutySeverity[notification.kind === 'test' ? 'info' : notification.severity],
      timestamp: new Date(now).toISOString(),
      ...(notification.event === undefined ? {} : { class: notification.event }),
      custom_details: customDetails,
    },
    ...(notification.link === undefined
      ? {}
      : {
          links: [
            {
              href: notification.link,
              text:
                notification.runId === undefined
                  ? 'Open in cronplane'
                  : `Run ${notification.runId} in cronplane`,
            },
          ],
        }),
    client: 'cronplane',
    ...(notification.link === undefined ? {} : { client_url: notification.link }),
  };
}

/**
 * Sends the event to the Events API (or the channel's `url`). A test notification is triggered
 * and then resolved with the same dedup key, so it leaves no open incident behind.
 */
export const sendPagerduty: Sender<PagerdutySettings> = async (settings, notification, context) => {
  const url = settings.url ?? pagerdutyEndpoint;
  const routingKey = settings.routing_key.reveal();
  const first = await postEvent(url, pagerdutyEvent(notification, routingKey, context.now()), context);
  if (notification.kind !== 'test') return first;
  return postEvent(
    url,
    pagerdutyEvent({ ...notification, kind: 'resolve' }, routingKey, context.now()),
    context,
  );
};

async function postEvent(url: string, event: object, context: SendContext) {
  const answer = await postBody(url, JSON.stringify(event), { 'content-type': 'application/json' }, context);
  return { status: answer.status, ...dedupKeyOf(answer.text) };
}

function dedupKeyOf(text: string): { detail?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'dedup_key' in parsed &&
      typeof parsed.dedup_key === 'string'
    ) {
      return { detail: `dedup_key ${parsed.dedup_key}` };
    }
  } catch {
    // PagerDuty answers JSON; a proxy may not, and the answer is only informative.
  }
  return {};
}
