import { compileSchedule } from '../calendar/index.ts';
import type { ResolvedSchedule } from './resolved-config.ts';

/** A job's schedules compiled once: its fire times are the union of theirs. */
export interface JobCalendar {
  /** The first fire strictly after `afterMs`, or null when no schedule fires again. */
  next(afterMs: number): number | null;
  /** The same fire with the schedule that gives it (the first in the job's order on a tie). */
  nextFire(afterMs: number): JobFire | null;
}

/** A fire of a job: its instant and the index of the schedule (in the job's `schedules`) it comes from. */
export interface JobFire {
  readonly at: number;
  readonly schedule: number;
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
    return {
      next: (afterMs) => only.next(afterMs),
      nextFire(afterMs) {
        const at = only.next(afterMs);
        return at === null ? null : { at, schedule: 0 };
      },
    };
  }
  const nextFire = (afterMs: number): JobFire | null => {
    let best: number | null = null;
    let from = 0;
    for (const [index, schedule] of compiled.entries()) {
      const candidate = schedule.next(afterMs);
      if (candidate !== null && (best === null || candidate < best)) {
        best = candidate;
        from = index;
      }
    }
    return best === null ? null : { at: best, schedule: from };
  };
  return { next: (afterMs) => nextFire(afterMs)?.at ?? null, nextFire };
}

/** The next `count` fire times after `afterMs` (fewer when the calendar ends). */
export function nextFires(calendar: JobCalendar, afterMs: number, count: number): number[] {
  return upcomingFires(calendar, afterMs, count).map((fire) => fire.at);
}

/** The next `count` fires after `afterMs`, each with its schedule (fewer when the calendar ends). */
export function upcomingFires(calendar: JobCalendar, afterMs: number, count: number): JobFire[] {
  const fires: JobFire[] = [];
  let cursor = afterMs;
  while (fires.length < count) {
    const next = calendar.nextFire(cursor);
    if (next === null) break;
    fires.push(next);
    cursor = next.at;
  }
  return fires;
}
