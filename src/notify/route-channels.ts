import type { NotifyKey, Severity } from '../config/index.ts';
import type { Channel } from './channel.ts';
import type { NotificationKind } from './notification.ts';

/** A job's or monitor's `notify:` map: event or severity → channel names. */
export type NotifyMap = Readonly<Partial<Record<NotifyKey, readonly string[]>>>;

export interface RouteQuery {
  /** Trigger (or test) an incident, or resolve one. */
  readonly kind: NotificationKind;
  /** The notify key of the incident: `failure`, `critical`, `stuck`, `guard`, `down`, ... */
  readonly event: NotifyKey;
  /** The incident's severity; `warning`, `failure` and `critical` also route by their own key. */
  readonly severity?: Severity;
}

/**
 * The channels a notification goes to, in the order the job file names them, each once.
 *
 * A trigger goes to `notify[event]` and to `notify[severity]` (a guard of severity critical
 * also reaches the `critical` channels); when `critical` is not routed at all, a critical
 * incident goes where `failure` does. A resolve goes to `notify.recovery` (`notify.up` for a
 * monitor's `down`), and also to every incident tool's channel (PagerDuty) the trigger went to, so no incident
 * is left open there. `notify` is the job's resolved map: `defaults.notify` with the job's
 * keys over it.
 */
export function routeChannels(
  notify: NotifyMap,
  query: RouteQuery,
  channels: ReadonlyMap<string, Channel>,
): string[] {
  const triggerRoute = triggerChannels(notify, query);
  switch (query.kind) {
    case 'trigger':
    case 'test':
      return triggerRoute;
    case 'resolve': {
      const recoveryKey: NotifyKey = query.event === 'down' ? 'up' : 'recovery';
      const incidents = triggerRoute.filter(
        (name) => channels.get(name)?.definition.tracksIncidents === true,
      );
      return unique([...(notify[recoveryKey] ?? []), ...incidents]);
    }
  }
}

function triggerChannels(notify: NotifyMap, query: RouteQuery): string[] {
  const names = [...(notify[query.event] ?? [])];
  const severity = query.severity;
  if (severity === 'warning' || severity === 'failure' || severity === 'critical') {
    const bySeverity =
      severity === 'critical' && notify.critical === undefined ? notify.failure : notify[severity];
    names.push(...(bySeverity ?? []));
  }
  return unique(names);
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
