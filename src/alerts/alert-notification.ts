import type { NotifyKey } from '../config/index.ts';
import type { Notification } from '../notify/index.ts';
import { jobLink, runLink } from '../notify/index.ts';
import type { EventRecord, JsonValue } from '../store/index.ts';

/** What an event row keeps of the incident that opened it, for reminders and resolves. */
export interface AlertFacts {
  readonly title: string;
  readonly summary: string;
  readonly notifyKey: NotifyKey;
  readonly monitor: boolean;
  readonly details: Readonly<Record<string, string | number>>;
}

/** The facts of an event written by `eventOf`; events written before alerting get plain ones. */
export function alertFactsOf(event: EventRecord): AlertFacts {
  const details = isObject(event.details) ? event.details : {};
  const alert = isObject(details['alert']) ? details['alert'] : {};
  const facts: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(details)) {
    if (typeof value === 'string' || typeof value === 'number') facts[name] = value;
  }
  const subject = event.job ?? 'cronplane';
  return {
    title: typeof alert['title'] === 'string' ? alert['title'] : `${subject}: ${event.kind}`,
    summary: typeof alert['summary'] === 'string' ? alert['summary'] : '',
    notifyKey: typeof alert['notifyKey'] === 'string' ? (alert['notifyKey'] as NotifyKey) : 'failure',
    monitor: alert['monitor'] === true,
    details: facts,
  };
}

/** The dedup key channels see (PagerDuty's dedup_key, the e-mail thread): the event's, namespaced. */
export function notificationKey(dedupKey: string): string {
  return `cronplane:${dedupKey}`;
}

export interface NotificationInput {
  readonly kind: 'trigger' | 'resolve';
  readonly event: EventRecord;
  readonly facts: AlertFacts;
  readonly title: string;
  readonly summary: string;
  readonly publicUrl: string | undefined;
  readonly runId?: number | null;
}

/** A channel-independent notification about an event, with a link to its run, job or monitor. */
export function notificationOf(input: NotificationInput): Notification {
  const { event, facts, publicUrl } = input;
  const runId = input.runId ?? event.runId;
  const link =
    runId !== null
      ? runLink(publicUrl, runId)
      : event.job === null
        ? undefined
        : facts.monitor
          ? monitorLink(publicUrl, event.job)
          : jobLink(publicUrl, event.job);
  return {
    kind: input.kind,
    dedupKey: notificationKey(event.dedupKey),
    severity: event.severity,
    title: input.title,
    summary: input.summary,
    ...(event.job === null ? {} : { job: event.job }),
    ...(runId === null ? {} : { runId }),
    event: facts.notifyKey,
    details: facts.details,
    ...(link === undefined ? {} : { link }),
  };
}

function monitorLink(publicUrl: string | undefined, monitor: string): string | undefined {
  if (publicUrl === undefined || publicUrl === '') return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/monitors/${encodeURIComponent(monitor)}`;
}

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
