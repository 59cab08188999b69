import { compileSchedule } from '../calendar/index.ts';
import type { ResolvedSchedule } from '../config/index.ts';

/** A job's schedules compiled once: its fire times are the union of theirs. */
export interface JobCalendar {
  /** The first fire strictly after `afterMs`, or null when no schedule fires again. */
  next(afterMs: number): number | null;
}

export function compileJobCalendar(schedules: readonly ResolvedSchedule[], timezone: string): JobCalendar {
  const compiled = schedules.map((schedule) => compileSchedule(schedule.spec, { timezone }));
  if (compiled.length === 1) {
    const only = compiled[0] as (typeof compiled)[number];
    return { next: (afterMs) => only.next(afterMs) };
  }
  return {
    next(afterMs) {
      let best: number | null = null;
      for (const schedule of compiled) {
        const candidate = schedule.next(afterMs);
        if (candidate !== null && (best === null || candidate < best)) best = candidate;
      }
      return best;
    },
  };
}

/** The next `count` fire times after `afterMs` (fewer when the calendar ends). */
export function nextFires(calendar: JobCalendar, afterMs: number, count: number): number[] {
  const fires: number[] = [];
  let cursor = afterMs;
  while (fires.length < count) {
    const next = calendar.next(cursor);
    if (next === null) break;
    fires.push(next);
    cursor = next;
  }
  return fires;
}
