import type { MonitorRecord } from '../store/index.ts';
import type { MonitorTiming } from './monitor-timing.ts';

/** Why a monitor goes down when its deadline passes. */
export const LateReason = {
  /** `period:` — no ping for a period plus the grace. */
  period: 'period',
  /** `schedule:` — no success after a scheduled time within the grace. */
  schedule: 'schedule',
  /** `expect_success_within:` — no success for that long. */
  noSuccess: 'no-success',
} as const;
export type LateReason = (typeof LateReason)[keyof typeof LateReason];

export interface MonitorDeadline {
  /** The instant (epoch ms) after which the monitor is late, unless a ping comes first. */
  readonly at: number;
  readonly reason: LateReason;
  /** When the ping was due (before the grace), for the alert's text. */
  readonly dueAt: number;
}

/**
 * The earliest moment a monitor in its stored state could go late, or null when nothing can make
 * it late (it is down already: only a ping changes that; it is paused: only a resume does). A pure
 * function of the monitor's timing and its stored timestamps; the watch arms one timer at the
 * earliest deadline of all monitors.
 *
 * - `period`: the next ping (any kind: a `start` counts) is due one period after the last ping,
 *   and late once the grace has passed too.
 * - `schedule`: a success is expected after each scheduled time, within the grace: the first
 *   scheduled time after the last success, plus the grace.
 * - `expect_success_within`: late when the last success is that long ago.
 *
 * A `new` monitor (no ping yet) counts from its creation, as if it had pinged then: a crontab
 * line that was never added, or pings to a wrong URL, show up as `down` after the first period
 * (or the first scheduled time) plus the grace, instead of staying silent for ever. Likewise a
 * resumed monitor counts from its resume when that is later than its pings: the time it was
 * paused is never held against it, so it gets a whole period (or scheduled time) and grace.
 */
export function monitorDeadline(timing: MonitorTiming, monitor: MonitorRecord): MonitorDeadline | null {
  if (monitor.status === 'down' || monitor.removedAt !== null || monitor.paused) return null;
  const candidates: MonitorDeadline[] = [];
  const lastSuccess = countedFrom(monitor, monitor.lastSuccessAt);
  if (timing.periodMs !== undefined) {
    const dueAt = countedFrom(monitor, monitor.lastPingAt) + timing.periodMs;
    candidates.push({ at: dueAt + timing.graceMs, reason: LateReason.period, dueAt });
  }
  const scheduled = firstAfter(timing, lastSuccess);
  if (scheduled !== null) {
    candidates.push({ at: scheduled + timing.graceMs, reason: LateReason.schedule, dueAt: scheduled });
  }
  if (timing.expectSuccessWithinMs !== undefined) {
    const dueAt = lastSuccess + timing.expectSuccessWithinMs;
    candidates.push({ at: dueAt, reason: LateReason.noSuccess, dueAt });
  }
  let earliest: MonitorDeadline | null = null;
  for (const candidate of candidates)
    if (earliest === null || candidate.at < earliest.at) earliest = candidate;
  return earliest;
}

/** The deadline, if it has passed at `now` (strictly: a ping exactly at the deadline is in time). */
export function lateAt(timing: MonitorTiming, monitor: MonitorRecord, now: number): MonitorDeadline | null {
  const deadline = monitorDeadline(timing, monitor);
  return deadline !== null && now > deadline.at ? deadline : null;
}

/** Where a monitor's clock starts: the ping given, else its creation, but never before its resume. */
function countedFrom(monitor: MonitorRecord, pingAt: number | null): number {
  return Math.max(pingAt ?? monitor.createdAt, monitor.resumedAt ?? -Infinity);
}

function firstAfter(timing: MonitorTiming, after: number): number | null {
  let first: number | null = null;
  for (const schedule of timing.schedules) {
    const next = schedule.next(after);
    if (next !== null && (first === null || next < first)) first = next;
  }
  return first;
}
