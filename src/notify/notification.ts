import type { Severity } from '../config/index.ts';

/** What a notification does to an incident: open (or repeat) it, close it, or only test a channel. */
export const NotificationKind = {
  trigger: 'trigger',
  resolve: 'resolve',
  test: 'test',
} as const;
export type NotificationKind = keyof typeof NotificationKind;

/** Severities from least to most urgent; the order quiet hours and routing compare by. */
export const severityOrder: readonly Severity[] = ['info', 'warning', 'failure', 'critical'];

/**
 * One thing to tell people, independent of the channel it goes to. Senders turn it into a Slack
 * message, a PagerDuty event, an e-mail or a signed JSON body.
 */
export interface Notification {
  readonly kind: NotificationKind;
  /**
   * Stable per incident: a trigger, its repeats and its resolve share it (PagerDuty's dedup_key,
   * the webhook's dedup_key, the e-mail thread).
   */
  readonly dedupKey: string;
  /** For a resolve: the severity of the incident it closes. */
  readonly severity: Severity;
  /** One line: `eval-nightly failed`. */
  readonly title: string;
  /** What went wrong, a few lines at most: an error, the tail of the output. */
  readonly summary: string;
  readonly job?: string;
  readonly runId?: number | string;
  /** The event that caused it: a notify key (`failure`, `guard`) or an event kind (`guard:refusal_spike`). */
  readonly event?: string;
  /** Facts worth showing, in order: `exit_code: 1`, `tenant_id: acme`, `refusal_rate: 0.12`. */
  readonly details: Readonly<Record<string, string | number>>;
  /** The run or job in the dashboard. */
  readonly link?: string;
}

/** The dashboard page of a run: `${publicUrl}/runs/ID`; undefined without a public URL. */
export function runLink(publicUrl: string | undefined, runId: number | string): string | undefined {
  if (publicUrl === undefined || publicUrl === '') return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/runs/${encodeURIComponent(String(runId))}`;
}

/** The dashboard page of a job: `${publicUrl}/jobs/NAME`; undefined without a public URL. */
export function jobLink(publicUrl: string | undefined, job: string): string | undefined {
  if (publicUrl === undefined || publicUrl === '') return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/jobs/${encodeURIComponent(job)}`;
}

/** Upper-case word for a notification's state, as subjects and headers show it. */
export function stateLabel(notification: Notification): string {
  switch (notification.kind) {
    case 'trigger':
      return notification.severity.toUpperCase();
    case 'resolve':
      return 'RESOLVED';
    case 'test':
      return 'TEST';
  }
}

/** Cuts text to `max` characters, ending with an ellipsis when it was longer. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
