import { compileSchedule } from '../calendar/index.ts';
import type { Schedule } from '../calendar/index.ts';
import type { NotifyKey, ResolvedMonitor } from '../config/index.ts';

/**
 * When a monitor's pings are expected, in milliseconds and compiled schedules: the part of a
 * `ResolvedMonitor` the due-time logic reads. Built once per job-file load.
 */
export interface MonitorTiming {
  readonly name: string;
  /** The time between pings (`period:`), or undefined with `schedule:`. */
  readonly periodMs: number | undefined;
  /** When the external job runs (`schedule:`, several allowed), compiled in the monitor's zone. */
  readonly schedules: readonly Schedule[];
  /** How late a ping may be before the monitor counts as down; 0 when the file says nothing. */
  readonly graceMs: number;
  readonly expectSuccessWithinMs: number | undefined;
  readonly minDurationMs: number | undefined;
  readonly notify: Readonly<Partial<Record<NotifyKey, readonly string[]>>>;
}

export function monitorTimingOf(monitor: ResolvedMonitor): MonitorTiming {
  return {
    name: monitor.name,
    periodMs: monitor.entry.period,
    schedules: monitor.schedules.map((schedule) =>
      compileSchedule(schedule.spec, { timezone: monitor.timezone }),
    ),
    graceMs: monitor.entry.grace ?? 0,
    expectSuccessWithinMs: monitor.entry.expect_success_within,
    minDurationMs: monitor.entry.min_duration,
    notify: monitor.entry.notify ?? {},
  };
}
