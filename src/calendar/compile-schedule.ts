/**
 * The engine: a ScheduleSpec compiled for `next()` and `previous()` in a time zone.
 *
 * Calendar sets are searched in wall-clock time (wall-search.ts) and mapped to instants one
 * stretch of constant UTC offset at a time; at each offset change the syntax's daylight-saving
 * rule (dst-policy.ts) decides what a gap or a repeated hour means. UTC needs no offsets at all.
 */
import type { CalendarSpec, IntervalSpec, ScheduleSpec } from './calendar-spec.ts';
import { calendarError, isKnownTimeZone } from './calendar-error.ts';
import { DAY_MS } from './civil-time.ts';
import { dstPolicyOf } from './dst-policy.ts';
import type { DstPolicy } from './dst-policy.ts';
import { WallSearch } from './wall-search.ts';
import { isUtcZone, zoneOffsets } from './zone-offsets.ts';
import type { ZoneOffsets } from './zone-offsets.ts';

export interface ScheduleOptions {
  /** IANA zone used when the expression names none; default UTC. */
  readonly timezone?: string;
}

export interface Schedule {
  readonly spec: ScheduleSpec;
  /** The zone the schedule is evaluated in: the expression's own, else the option's, else UTC. */
  readonly timezone: string;
  /** The first elapse strictly after `afterMs` (epoch ms), or null when there is none (up to 2199). */
  next(afterMs: number): number | null;
  /** The last elapse strictly before `beforeMs`, or null when there is none (from 1970). */
  previous(beforeMs: number): number | null;
  nextDate(after: Date): Date | null;
  previousDate(before: Date): Date | null;
  /** Up to `count` elapses after `afterMs`, in order. */
  upcoming(afterMs: number, count: number): number[];
}

/** A bound on the loop over offset changes; far above what 230 years of any zone need. */
const MAX_STEPS = 10_000;

/** Compiles a schedule; throws `calendar.invalid` for an unknown time zone. */
export function compileSchedule(spec: ScheduleSpec, options: ScheduleOptions = {}): Schedule {
  const timezone = (spec.kind === 'calendar' ? spec.timezone : undefined) ?? options.timezone ?? 'UTC';
  if (!isUtcZone(timezone) && !isKnownTimeZone(timezone)) {
    throw calendarError(
      `time zone "${timezone}" is not a known IANA zone; expected a name such as Europe/Berlin`,
      0,
    );
  }
  switch (spec.kind) {
    case 'calendar':
      return withConveniences(spec, timezone, calendarFunctions(spec, timezone));
    case 'interval':
      return withConveniences(spec, timezone, intervalFunctions(spec));
    case 'startup':
      return withConveniences(spec, timezone, { next: () => null, previous: () => null });
    default:
      return assertNever(spec);
  }
}

interface Functions {
  next(afterMs: number): number | null;
  previous(beforeMs: number): number | null;
}

function withConveniences(spec: ScheduleSpec, timezone: string, functions: Functions): Schedule {
  const { next, previous } = functions;
  return {
    spec,
    timezone,
    next,
    previous,
    nextDate: (after) => toDate(next(checkInstant(after.getTime()))),
    previousDate: (before) => toDate(previous(checkInstant(before.getTime()))),
    upcoming(afterMs, count) {
      const elapses: number[] = [];
      let cursor: number | null = afterMs;
      while (elapses.length < count && (cursor = next(cursor)) !== null) elapses.push(cursor);
      return elapses;
    },
  };
}

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

function checkInstant(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`calendar: ${ms} is not a valid instant`);
  return ms;
}

function intervalFunctions(spec: IntervalSpec): Functions {
  const { everyMs, anchorMs } = spec;
  return {
    next(afterMs) {
      const k = Math.floor((checkInstant(afterMs) - anchorMs) / everyMs) + 1;
      return anchorMs + k * everyMs;
    },
    previous(beforeMs) {
      const k = Math.ceil((checkInstant(beforeMs) - anchorMs) / everyMs) - 1;
      return anchorMs + k * everyMs;
    },
  };
}

function calendarFunctions(spec: CalendarSpec, timezone: string): Functions {
  const search = new WallSearch(spec);
  if (isUtcZone(timezone)) {
    return {
      next(afterMs) {
        const w = search.nextWall(Math.floor(checkInstant(afterMs)) + 1);
        return w < 0 ? null : w;
      },
      previous(beforeMs) {
        const w = search.previousWall(Math.ceil(checkInstant(beforeMs)) - 1);
        return w < 0 ? null : w;
      },
    };
  }
  const zone = zoneOffsets(timezone);
  const policy = dstPolicyOf(spec);
  return {
    next: (afterMs) => zonedNext(search, zone, policy, Math.floor(checkInstant(afterMs)) + 1),
    previous: (beforeMs) => zonedPrevious(search, zone, policy, Math.ceil(checkInstant(beforeMs)) - 1),
  };
}

/** When `t` lies in the second pass of a repeated hour and the rule keeps only the first, the end of that pass. */
function skipSecondPass(zone: ZoneOffsets, t: number): number {
  const transition = zone.lastTransitionIn(t - DAY_MS, t);
  if (transition === undefined || transition.after >= transition.before) return t;
  const end = transition.at + (transition.before - transition.after);
  return t < end ? end : t;
}

/** The first elapse at or after instant `from`. */
function zonedNext(search: WallSearch, zone: ZoneOffsets, policy: DstPolicy, from: number): number | null {
  let t = from;
  // Wall times in [searchedFrom, wall) are known not to match: a later search that starts inside
  // that range (after an offset change) finds `wall` again without searching.
  let searchedFrom = Number.POSITIVE_INFINITY;
  let wall = -1;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (policy.repeat === 'first') t = skipSecondPass(zone, t);
    const offset = zone.offsetAt(t);
    const start = t + offset;
    if (!(start >= searchedFrom && start <= wall)) {
      wall = search.nextWall(start);
      if (wall < 0) return null;
      searchedFrom = start;
    }
    const instant = wall - offset;
    const transition = zone.firstTransitionIn(t, instant);
    if (transition === undefined) return instant;
    // The offset changes before the candidate: nothing matched up to the change.
    if (
      transition.after > transition.before &&
      policy.gap === 'shift' &&
      wall < transition.at + transition.after
    ) {
      return transition.at; // the candidate wall time is inside the gap
    }
    t = transition.at;
  }
  return null;
}

/** The last elapse at or before instant `from`. */
function zonedPrevious(
  search: WallSearch,
  zone: ZoneOffsets,
  policy: DstPolicy,
  from: number,
): number | null {
  let t = from;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (policy.repeat === 'first') {
      const end = skipSecondPass(zone, t);
      if (end !== t) {
        const transition = zone.lastTransitionIn(t - DAY_MS, t);
        t = (transition?.at ?? t) - 1;
      }
    }
    const offset = zone.offsetAt(t);
    const wall = search.previousWall(t + offset);
    if (wall < 0) return null;
    const instant = wall - offset;
    const transition = zone.lastTransitionIn(instant, t);
    if (transition === undefined) {
      if (policy.repeat === 'first' && skipSecondPass(zone, instant) !== instant) {
        t = instant; // re-checked at the top of the loop, which moves before the repeat
        continue;
      }
      return instant;
    }
    if (
      transition.after > transition.before &&
      policy.gap === 'shift' &&
      wall >= transition.at + transition.before
    ) {
      return transition.at; // the candidate wall time is inside the gap
    }
    t = transition.at - 1;
  }
  return null;
}

function assertNever(value: never): never {
  throw new Error(`unexpected schedule ${JSON.stringify(value)}`);
}
