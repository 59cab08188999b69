import { compileSchedule } from '../calendar/index.ts';
import type { ResolvedSchedule } from './resolved-config.ts';

/** A job's schedules compiled once: its fire times are the union of theirs. */
export interface JobCalendar {
  /** The first fire strictly after `afterMs`, or null when no schedule fires again. */
  next(afterMs: number): number | null;
}

/**
 * Compiled schedules by zone and text, so 100,000 jobs that share a handful of expressions share
 * their lookup tables. Compiled schedules are immutable, so sharing is safe.
 */
export type CalendarCache = Map<string, ReturnType<typeof compileSchedule>>;

export function compileJobCalendar(
  schedules: readonly ResolvedSchedule[],
  timezone: string,
  cache?: CalendarCache,
): JobCalendar {
  const compiled = schedules.map((schedule) => {
    const key = `${timezone}\u0000${schedule.spec.syntax}\u0000${schedule.text}`;
    const known = cache?.get(key);
    if (known !== undefined) return known;
    const fresh = compileSchedule(schedule.spec, { timezone });
    cache?.set(key, fresh);
    return fresh;
  });
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
