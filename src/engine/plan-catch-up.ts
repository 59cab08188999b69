import type { CatchUpPolicy } from '../config/index.ts';
import type { JobCalendar } from '../config/index.ts';

/** The most fires `all` re-runs after downtime, and the most a missed-fire count enumerates. */
export const catchUpLimit = 1000;
export const missedCountLimit = 100_000;

export interface CatchUpPlan {
  /** Scheduled times to run now, with trigger `catch-up`. */
  readonly run: readonly number[];
  /** Fires that will not run: how many, the first and the last. `count` stops at missedCountLimit. */
  readonly missed: { readonly count: number; readonly first: number; readonly last: number } | null;
}

/**
 * What to do about fires that fell due while no scheduler was running, between the last fire
 * recorded (`lastFireAt`) and `before` (fires at or after `before` are on time and fire
 * normally). `skip`: none run, all are missed. `once`: the latest runs (systemd
 * Persistent=true). `all`: each runs, within `windowMs` before now and at most catchUpLimit;
 * older ones are missed.
 */
export function planCatchUp(input: {
  readonly calendar: JobCalendar;
  readonly lastFireAt: number | null;
  readonly before: number;
  readonly now: number;
  readonly policy: CatchUpPolicy;
  readonly windowMs: number | undefined;
}): CatchUpPlan {
  if (input.lastFireAt === null) return { run: [], missed: null };
  const fires: number[] = [];
  let count = 0;
  let first = 0;
  let last = 0;
  let previous = 0;
  let outsideCount = 0;
  let lastOutside = 0;
  let cursor = input.lastFireAt;
  const windowStart = input.windowMs === undefined ? -Infinity : input.now - input.windowMs;
  for (;;) {
    const next = input.calendar.next(cursor);
    if (next === null || next >= input.before) break;
    cursor = next;
    count++;
    if (count === 1) first = next;
    previous = last;
    last = next;
    if (input.policy === 'all') {
      if (next >= windowStart) {
        fires.push(next);
        if (fires.length > catchUpLimit) {
          outsideCount++;
          lastOutside = fires.shift() as number;
        }
      } else {
        outsideCount++;
        lastOutside = next;
      }
    }
    if (count >= missedCountLimit) break;
  }
  if (count === 0) return { run: [], missed: null };
  switch (input.policy) {
    case 'skip':
      return { run: [], missed: { count, first, last } };
    case 'once':
      return { run: [last], missed: count > 1 ? { count: count - 1, first, last: previous } : null };
    case 'all':
      return {
        run: fires,
        missed: outsideCount === 0 ? null : { count: outsideCount, first, last: lastOutside },
      };
  }
}
