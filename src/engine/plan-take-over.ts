import type { JobCalendar } from '../config/index.ts';
import { missedCountLimit } from './plan-catch-up.ts';

export interface TakeOverPlan {
  /** The job's last fire from here on: the stored one, or past the fires recorded or missed after it. */
  readonly lastFireAt: number | null;
  /** Fires older than the start deadline that did not run: how many, the first and the last. */
  readonly missed: { readonly count: number; readonly first: number; readonly last: number } | null;
}

/**
 * Where a node that has just become the scheduler leader picks up one job: after the last fire
 * the previous leader stored (`lastFireAt`), or after the latest fire whose runs exist
 * (`recordedAt`: a leader that died between recording runs and storing its cursor). Fires after
 * that which are older than the start deadline are missed; the newer ones are left to fire, late.
 */
export function planTakeOver(input: {
  readonly calendar: JobCalendar;
  readonly lastFireAt: number | null;
  readonly recordedAt: number | null;
  readonly now: number;
  readonly startDeadlineMs: number;
}): TakeOverPlan {
  const stored = input.lastFireAt;
  const from =
    input.recordedAt !== null && (stored === null || input.recordedAt > stored) ? input.recordedAt : stored;
  if (from === null) return { lastFireAt: null, missed: null };
  const tooLate = input.now - input.startDeadlineMs;
  let count = 0;
  let first = 0;
  let last = 0;
  for (let at = input.calendar.next(from); at !== null && at < tooLate; at = input.calendar.next(at)) {
    if (count === 0) first = at;
    last = at;
    count++;
    if (count >= missedCountLimit) break;
  }
  return count === 0
    ? { lastFireAt: from, missed: null }
    : { lastFireAt: last, missed: { count, first, last } };
}
