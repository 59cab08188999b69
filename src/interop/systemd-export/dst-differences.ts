/**
 * Where a calendar schedule exported as `OnCalendar=` lines fires differently from cronplane
 * around the daylight-saving changes of its zone. cronplane runs a fixed-time cron job whose wall
 * time falls into a spring-forward gap just after the gap, and a wildcard cron job in both passes
 * of a repeated hour; systemd skips gap times and runs a repeated time once (docs/calendar.md).
 * Rather than restate those rules, both sets of fires are computed by the calendar engine in a
 * window around each change and compared.
 */
import type { CalendarSpec } from '../../calendar/index.ts';
import { compileSchedule, isUtcZone, parseSystemdCalendar, zoneOffsets } from '../../calendar/index.ts';

export interface DstDifference {
  /** `gap`: the clock springs forward; `repeat`: it falls back. */
  readonly change: 'gap' | 'repeat';
  /** The instant of the change (epoch ms). */
  readonly at: number;
}

const HOUR_MS = 3_600_000;
/** How far ahead changes are looked at: a year and a bit, so every rule of the zone is met. */
export const dstLookAheadMs = 400 * 24 * HOUR_MS;
/** Fires this close to a change are compared (changes move the clock by two hours at most). */
const windowMs = 6 * HOUR_MS;

/**
 * The first change of each kind (gap, repeat) within `dstLookAheadMs` after `now` at which the
 * fires of `spec` (in its zone) and of the union of `onCalendar` (systemd expressions) differ.
 */
export function dstDifferences(
  spec: CalendarSpec & { readonly timezone: string },
  onCalendar: readonly string[],
  now: number,
): DstDifference[] {
  if (isUtcZone(spec.timezone) || onCalendar.length === 0) return [];
  const ours = compileSchedule(spec);
  const theirs = onCalendar.map((text) => compileSchedule(parseSystemdCalendar(text)));
  const offsets = zoneOffsets(spec.timezone);
  const found = new Map<DstDifference['change'], DstDifference>();
  for (
    let from = now, transition = offsets.firstTransitionIn(from, now + dstLookAheadMs);
    transition !== undefined;
    from = transition.at, transition = offsets.firstTransitionIn(from, now + dstLookAheadMs)
  ) {
    const change = transition.after > transition.before ? 'gap' : 'repeat';
    if (found.has(change)) continue;
    const start = transition.at - windowMs;
    const end = transition.at + windowMs;
    const a = firesBetween([ours], start, end);
    const b = firesBetween(theirs, start, end);
    if (a.length !== b.length || a.some((fire, index) => fire !== b[index]))
      found.set(change, { change, at: transition.at });
  }
  return [...found.values()];
}

function firesBetween(
  schedules: readonly { next(afterMs: number): number | null }[],
  start: number,
  end: number,
): number[] {
  const fires: number[] = [];
  for (let at = start; ;) {
    const next = Math.min(...schedules.map((schedule) => schedule.next(at) ?? Infinity));
    if (next > end) return fires;
    fires.push(next);
    at = next;
  }
}
