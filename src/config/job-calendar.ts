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
 * What compiling many jobs' calendars shares, for one load: compiled schedules by zone, syntax
 * and text, so 100,000 jobs that share a handful of expressions share their lookup tables; and
 * whole job calendars by the job's list of schedules (when it is one list many jobs share, as
 * `resolveSchedules` shares a schedule text's) and zone, so those jobs hold one calendar, not
 * one object and two closures apiece. Both are immutable, so sharing is safe.
 */
export interface CalendarCache {
  readonly schedules: Map<string, ReturnType<typeof compileSchedule>>;
  readonly calendars: WeakMap<readonly ResolvedSchedule[], Map<string, JobCalendar>>;
}

export function calendarCache(): CalendarCache {
  return { schedules: new Map(), calendars: new WeakMap() };
}

export function compileJobCalendar(
  schedules: readonly ResolvedSchedule[],
  timezone: string,
  cache?: CalendarCache,
): JobCalendar {
  // Only a frozen list is shared between jobs (and cannot change under the cached calendar).
  const shared = cache !== undefined && Object.isFrozen(schedules);
  const byZone = shared ? cache.calendars.get(schedules) : undefined;
  const known = byZone?.get(timezone);
  if (known !== undefined) return known;
  const calendar = buildJobCalendar(schedules, timezone, cache);
  if (shared) {
    if (byZone === undefined) cache.calendars.set(schedules, new Map([[timezone, calendar]]));
    else byZone.set(timezone, calendar);
  }
  return calendar;
}

function buildJobCalendar(
  schedules: readonly ResolvedSchedule[],
  timezone: string,
  cache: CalendarCache | undefined,
): JobCalendar {
  const compiled = schedules.map((schedule) => {
    const key = `${timezone}\u0000${schedule.spec.syntax}\u0000${schedule.text}`;
    const known = cache?.schedules.get(key);
    if (known !== undefined) return known;
    const fresh = compileSchedule(schedule.spec, { timezone });
    cache?.schedules.set(key, fresh);
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
