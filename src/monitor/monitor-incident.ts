import { formatDuration } from '../calendar/index.ts';
import type { Incident } from '../incidents/index.ts';
import type { MonitorRecord } from '../store/index.ts';
import type { MonitorDeadline } from './monitor-deadline.ts';
import { LateReason } from './monitor-deadline.ts';
import type { MonitorTiming } from './monitor-timing.ts';

export const monitorDownKind = 'monitor:down';
export const monitorTooFastKind = 'monitor:too-fast';

export function monitorDownDedupKey(name: string): string {
  return `${monitorDownKind}:${name}`;
}

export function monitorTooFastDedupKey(name: string): string {
  return `${monitorTooFastKind}:${name}`;
}

/** The parts of a `monitor:down` incident that do not depend on why it is down. */
export function downIncident(
  name: string,
): Pick<Incident, 'kind' | 'notifyKey' | 'severity' | 'dedupKey' | 'job' | 'monitor'> {
  return {
    kind: monitorDownKind,
    notifyKey: 'down',
    severity: 'failure',
    dedupKey: monitorDownDedupKey(name),
    job: name,
    monitor: true,
  };
}

/** Why a monitor is late, in words: `no ping for 1h plus the grace`. */
export function lateText(timing: MonitorTiming, monitor: MonitorRecord, late: MonitorDeadline): string {
  switch (late.reason) {
    case LateReason.period:
      if (monitor.resumedAt !== null && monitor.resumedAt >= (monitor.lastPingAt ?? monitor.createdAt)) {
        return `no ping since it was resumed at ${isoTime(monitor.resumedAt)} (period ${formatDuration(timing.periodMs ?? 0)})`;
      }
      return monitor.lastPingAt === null
        ? `no ping since it was created (period ${formatDuration(timing.periodMs ?? 0)})`
        : `no ping for ${formatDuration(timing.periodMs ?? 0)} plus the grace`;
    case LateReason.schedule:
      return `no success after its scheduled time ${isoTime(late.dueAt)}`;
    case LateReason.noSuccess:
      return `no success for ${formatDuration(timing.expectSuccessWithinMs ?? 0)}`;
    default:
      return late.reason satisfies never;
  }
}

export function isoTime(at: number): string {
  return new Date(at).toISOString();
}

/** The last lines of a ping's body, for an alert's summary. */
export function bodyTail(body: string): string {
  const text = body.trimEnd();
  return text.length <= 500 ? text : `…${text.slice(-500)}`;
}
