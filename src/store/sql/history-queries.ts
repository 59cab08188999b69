/**
 * The history charts draw, computed in SQL both dialects share: a job's metric series, one
 * series over a range (down-sampled by grouping into buckets when it holds more values than
 * asked), and run counts per status per bucket. A bucket is `at / width * width` in integer
 * arithmetic (a width is a literal, checked before), so buckets line up with the epoch in both
 * stores. Migration 010 gives each read an index it can scan alone (on SQLite, since 013, the run
 * counts' indexes hold only runs that ended).
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type {
  MetricBucket,
  MetricHistory,
  MetricHistoryQuery,
  MetricSeriesRecord,
  RunCountBucket,
  RunCountQuery,
} from '../history-records.ts';
import { assertTime, invalid } from '../row-mapping.ts';
import { assertRunStatus } from '../run-status.ts';
import type { Database } from '../schema.ts';

/** The most buckets one read may give: a chart wider than this is not drawn. */
const maxBuckets = 10_000;

/** Every metric the job's runs reported, per fan-out key, by name then key. */
export async function listMetricSeries(db: Kysely<Database>, job: string): Promise<MetricSeriesRecord[]> {
  const rows = await db
    .selectFrom('run_metrics')
    .select((eb) => [
      'name',
      'fan_key',
      eb.fn.countAll<number>().as('points'),
      eb.fn.min('at').as('first_at'),
      eb.fn.max('at').as('last_at'),
    ])
    .where('job', '=', job)
    .groupBy(['name', 'fan_key'])
    .orderBy('name')
    .orderBy('fan_key')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    fanKey: row.fan_key,
    points: Number(row.points),
    firstAt: Number(row.first_at),
    lastAt: Number(row.last_at),
  }));
}

function checkRange(from: number, to: number): void {
  assertTime(from, 'from');
  assertTime(to, 'to');
  if (to <= from) throw invalid('to', `an instant after from (${from})`, to);
}

/**
 * One metric over [from, to): every value as reported when no key has more than `maxPoints` of
 * them in the range, else buckets of one width for every key, at most `maxPoints` per key.
 */
export async function readMetricHistory(
  db: Kysely<Database>,
  query: MetricHistoryQuery,
): Promise<MetricHistory> {
  const { from, to, maxPoints } = query;
  checkRange(from, to);
  if (!Number.isSafeInteger(maxPoints) || maxPoints < 2 || maxPoints > maxBuckets) {
    throw invalid('maxPoints', `a whole number from 2 to ${maxBuckets}`, maxPoints);
  }
  let inRange = db
    .selectFrom('run_metrics')
    .where('job', '=', query.job)
    .where('name', '=', query.name)
    .where('at', '>=', from)
    .where('at', '<', to);
  if (query.fanKey !== undefined) inRange = inRange.where('fan_key', '=', query.fanKey);

  const counts = await inRange
    .select((eb) => ['fan_key', eb.fn.countAll<number>().as('points')])
    .groupBy('fan_key')
    .execute();
  const most = Math.max(0, ...counts.map((row) => Number(row.points)));
  if (most <= maxPoints) {
    const rows = await inRange
      .select(['fan_key', 'at', 'value', 'run_id'])
      .orderBy('fan_key')
      .orderBy('at')
      .orderBy('run_id')
      .execute();
    return {
      bucketMs: null,
      buckets: rows.map((row) => {
        const value = Number(row.value);
        return {
          fanKey: row.fan_key,
          at: Number(row.at),
          count: 1,
          min: value,
          max: value,
          mean: value,
          last: value,
          lastRunId: Number(row.run_id),
        };
      }),
    };
  }

  // Aligned buckets of this width touch at most maxPoints of them across [from, to).
  const bucketMs = Math.max(1, Math.ceil((to - from) / (maxPoints - 1)));
  const width = sql.lit(bucketMs);
  const ranked = inRange
    .select([
      'fan_key',
      'value',
      'run_id',
      sql<number>`(at / ${width}) * ${width}`.as('bucket'),
      sql<number>`ROW_NUMBER() OVER (PARTITION BY fan_key, at / ${width} ORDER BY at DESC, run_id DESC)`.as(
        'rank',
      ),
    ])
    .as('ranked');
  const rows = await db
    .selectFrom(ranked)
    .select((eb) => [
      'ranked.fan_key',
      'ranked.bucket',
      eb.fn.countAll<number>().as('count'),
      eb.fn.min('ranked.value').as('min'),
      eb.fn.max('ranked.value').as('max'),
      eb.fn.avg<number>('ranked.value').as('mean'),
      sql<number>`MAX(CASE WHEN ranked.rank = 1 THEN ranked.value END)`.as('last'),
      sql<number>`MAX(CASE WHEN ranked.rank = 1 THEN ranked.run_id END)`.as('last_run_id'),
    ])
    .groupBy(['ranked.fan_key', 'ranked.bucket'])
    .orderBy('ranked.fan_key')
    .orderBy('ranked.bucket')
    .execute();
  return {
    bucketMs,
    buckets: rows.map((row): MetricBucket => ({
      fanKey: row.fan_key,
      at: Number(row.bucket),
      count: Number(row.count),
      min: Number(row.min),
      max: Number(row.max),
      mean: Number(row.mean),
      last: Number(row.last),
      lastRunId: Number(row.last_run_id),
    })),
  };
}

/** Runs scheduled in [from, to) per bucket and status, by bucket then status; empty buckets left out. */
export async function countRunsByBucket(
  db: Kysely<Database>,
  query: RunCountQuery,
): Promise<RunCountBucket[]> {
  const { from, to, bucketMs } = query;
  checkRange(from, to);
  if (!Number.isSafeInteger(bucketMs) || bucketMs < 1) {
    throw invalid('bucketMs', 'a whole number of milliseconds of at least 1', bucketMs);
  }
  const buckets = Math.floor((to - 1) / bucketMs) - Math.floor(from / bucketMs) + 1;
  if (buckets > maxBuckets) {
    throw invalid(
      'bucketMs',
      `a width that gives at most ${maxBuckets} buckets (this gives ${buckets})`,
      bucketMs,
    );
  }
  const width = sql.lit(bucketMs);
  const bucket = sql<number>`(scheduled_at / ${width}) * ${width}`;
  // Three counts with disjoint statuses, each through an index that holds only its runs: runs that
  // ended, through the bucket indexes (they hold only those, so a claim does not rewrite them:
  // SQLite's migration 013, PostgreSQL's 017); pending and running runs, through runs_active; held ones, through
  // runs_held. Runs that have not ended are few, or waiting in a queue. One statement, so one
  // snapshot: read one after the other, a run ending between two was counted in neither.
  const count = (statuses: RawBuilder<boolean>) => {
    let select = db
      .selectFrom('runs')
      .select((eb) => [bucket.as('start'), 'status', eb.fn.countAll<number>().as('count')])
      .where('scheduled_at', '>=', from)
      .where('scheduled_at', '<', to)
      .where(statuses);
    if (query.job !== undefined) select = select.where('job', '=', query.job);
    return select.groupBy([bucket, 'status']);
  };
  const [ended, active, held] = statusesCounted;
  const rows = await count(ended).unionAll(count(active)).unionAll(count(held)).execute();
  return rows
    .map((row) => ({
      start: Number(row.start),
      status: assertRunStatus(row.status),
      count: Number(row.count),
    }))
    .sort((a, b) => a.start - b.start || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0));
}

/** Each set of statuses as the predicate of its index, so the planner matches them. */
const statusesCounted = [
  sql<boolean>`status <> 'held' AND status <> 'pending' AND status <> 'running'`,
  sql<boolean>`status IN ('pending', 'running')`,
  sql<boolean>`status = 'held'`,
] as const;
