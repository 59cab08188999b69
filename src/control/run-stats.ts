/**
 * Run counts per status per time bucket (LocalControl's `getRunStats`): counted by the store in
 * SQL, then laid out with every bucket the range touches, so a chart draws empty ones too.
 */
import type { RunStatus, Store } from '../store/index.ts';
import type { RunStatsQuery } from './control.ts';
import { badQuery, historyRange } from './history-range.ts';
import { iso } from './views/run-view.ts';
import type { RunStatsView } from './views/run-stats-view.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** The widest layout one answer gives. */
export const maxRunBuckets = 2000;
/** The widths chosen when none is asked, smallest first; the first giving at most 200 buckets wins. */
const bucketLadder = [minute, 5 * minute, 15 * minute, hour, 6 * hour, day, 7 * day];
const chosenBuckets = 200;

function bucketsIn(from: number, to: number, bucketMs: number): number {
  return Math.floor((to - 1) / bucketMs) - Math.floor(from / bucketMs) + 1;
}

/** The width asked for, checked, or one chosen from the range. */
function bucketWidth(query: RunStatsQuery, from: number, to: number): number {
  const asked = query.bucketMs;
  if (asked === undefined) {
    const fits = bucketLadder.find((width) => bucketsIn(from, to, width) <= chosenBuckets);
    return fits ?? Math.max(day, Math.ceil((to - from) / chosenBuckets / day) * day);
  }
  if (!Number.isSafeInteger(asked) || asked < minute) {
    throw badQuery('bucket', `expected a bucket of at least 1m; found ${asked} ms`);
  }
  const count = bucketsIn(from, to, asked);
  if (count > maxRunBuckets) {
    throw badQuery(
      'bucket',
      `a bucket of ${asked} ms cuts this range into ${count} buckets, more than ${maxRunBuckets}; ask for a wider bucket or a shorter range`,
    );
  }
  return asked;
}

export async function readRunStats(store: Store, query: RunStatsQuery, now: number): Promise<RunStatsView> {
  const { from, to } = historyRange(query, now);
  const bucketMs = bucketWidth(query, from, to);
  const counted = await store.countRunsByBucket({
    ...(query.job === undefined ? {} : { job: query.job }),
    from,
    to,
    bucketMs,
  });
  const first = Math.floor(from / bucketMs) * bucketMs;
  const buckets = Array.from({ length: bucketsIn(from, to, bucketMs) }, (_, index) => ({
    start: first + index * bucketMs,
    total: 0,
    counts: {} as Partial<Record<RunStatus, number>>,
  }));
  const totals: Partial<Record<RunStatus, number>> = {};
  for (const { start, status, count } of counted) {
    const bucket = buckets[(start - first) / bucketMs];
    if (bucket === undefined) continue;
    bucket.counts[status] = count;
    bucket.total += count;
    totals[status] = (totals[status] ?? 0) + count;
  }
  return {
    job: query.job ?? null,
    from: iso(from) as string,
    to: iso(to) as string,
    bucketMs,
    buckets: buckets.map((bucket) => ({ ...bucket, start: iso(bucket.start) as string })),
    totals,
  };
}
