import type { NotifyKey, Severity } from '../config/index.ts';

/**
 * Something wrong that people should hear about, before it is an event row or a notification.
 * Watchers, guards and monitors raise incidents; the `Alerter` records each as an event (a repeat
 * of an open one counts on it) and notifies the channels the job's or monitor's `notify:` routes.
 */
export interface Incident {
  /** The event kind, namespaced: `run:failed`, `run:critical`, `guard:refusal_spike`, `monitor:down`, `job:no-success`. */
  readonly kind: string;
  /** Which `notify:` key routes it: `failure`, `critical`, `warning`, `missed`, `stuck`, `guard`, `down`. */
  readonly notifyKey: NotifyKey;
  readonly severity: Severity;
  /** One incident while open: raising the same key again counts a repeat, resolving it closes it. */
  readonly dedupKey: string;
  /** The job, or the monitor, it is about: its `notify:` map routes the notification. */
  readonly job?: string;
  /** Whether `job` names a monitor rather than a job. */
  readonly monitor?: boolean;
  readonly runId?: number;
  /** One line: `eval-nightly failed (exit 1)`. */
  readonly title: string;
  /** A few lines: the error, the tail of the output, the guard's numbers. */
  readonly summary: string;
  /** Facts in order, shown by every channel: `exit_code: 1`, `tenant_id: acme`. */
  readonly details?: Readonly<Record<string, string | number>>;
}

/** The end of an incident: a success after failures, a monitor's ping after it went down. */
export interface Recovery {
  readonly dedupKey: string;
  /** The key that routed the trigger (`failure`, `down`...): a resolve goes to `recovery` (`up` for `down`) and back to PagerDuty. */
  readonly notifyKey: NotifyKey;
  readonly job?: string;
  readonly monitor?: boolean;
  readonly runId?: number;
  /** One line: `eval-nightly recovered`. */
  readonly title: string;
  readonly summary?: string;
}

/** How an incident is raised. */
export interface RaiseOptions {
  /** False: record (and count) the event but tell nobody (a failure below `consecutive_failures`). */
  readonly notify?: boolean;
}
