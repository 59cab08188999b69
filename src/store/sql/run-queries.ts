/**
 * Reading runs and what hangs off them (transitions, logs, metrics), in SQL both dialects share.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { CronplaneError } from '../../errors/index.ts';
import type { LogChunk, RunRecord, RunTransition } from '../run-record.ts';
import {
  assertTime,
  invalid,
  toLogChunk,
  toMetricPoint,
  runRowFromArray,
  toRunRecord,
  toRunTransition,
} from '../row-mapping.ts';
import { assertRunStatus } from '../run-status.ts';
import type { Database, RunRow } from '../schema.ts';
import type { MetricPoint } from '../store-records.ts';
import type {
  ActiveRunCount,
  ListMetricsQuery,
  ListRunsQuery,
  ReadLogsOptions,
  RunPage,
  StoreDialect,
} from '../store.ts';
import { readJsonColumn, runAsJsonArray, runMetricsAsJsonObject } from './run-json-row.ts';

export async function getRun(db: Kysely<Database>, id: number): Promise<RunRecord | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toRunRecord(row as RunRow);
}

export async function getRunOrThrow(db: Kysely<Database>, id: number): Promise<RunRecord> {
  const run = await getRun(db, id);
  if (run === undefined) throw runNotFound(id);
  return run;
}

export function runNotFound(id: number): CronplaneError {
  return new CronplaneError('store.not_found', `Run ${id} does not exist.`);
}

export function pageLimit(limit: number | undefined, fallback: number, path: string): number {
  const value = limit ?? fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > 1000) {
    throw invalid(path, 'a page size from 1 to 1000', value);
  }
  return value;
}

/**
 * Newest first; filters combine with AND. Each run is read as one JSON array (`run-json-row.ts`),
 * with the numbers it reported beside it when `withMetrics` asks (one query for a page, not two).
 */
export async function listRuns(
  db: Kysely<Database>,
  query: ListRunsQuery,
  dialect: StoreDialect,
): Promise<RunPage> {
  const limit = pageLimit(query.limit, 50, 'limit');
  const withMetrics = query.withMetrics === true;
  const statuses =
    query.status === undefined ? undefined : typeof query.status === 'string' ? [query.status] : query.status;
  if (statuses !== undefined && statuses.length === 0)
    return { runs: [], nextCursor: null, ...(withMetrics ? { metrics: new Map() } : {}) };
  if (query.from !== undefined) assertTime(query.from, 'from');
  if (query.to !== undefined) assertTime(query.to, 'to');
  const part = (which: JobRunsPart | undefined) =>
    runsPageQuery(db, query, dialect, statuses, which, limit + 1, withMetrics);
  // On PostgreSQL a job's runs by id are in two indexes (migration 024): the runs that are
  // neither pending nor running in runs_job, the others in runs_active. Each part is read
  // through its index, newest first, in one statement (so with one snapshot: read one after the
  // other, a run ending, or a held run released, between the two was in neither), and the two
  // merged.
  const parts = query.job !== undefined && dialect === 'postgres' ? jobRunsParts(statuses) : [undefined];
  const [first, second] = parts;
  const rows =
    second === undefined
      ? pageRows(await part(first).execute())
      : newestFirst(
          pageRows(
            await db
              .selectFrom(part(first).as('first_part'))
              .selectAll()
              .unionAll(db.selectFrom(part(second).as('second_part')).selectAll())
              .execute(),
          ),
          limit + 1,
        );
  const count = Math.min(rows.length, limit);
  const page: RunRecord[] = [];
  const metrics = new Map<number, Readonly<Record<string, number>>>();
  for (let index = 0; index < count; index++) {
    const { run, reported } = rows[index] as PageRow;
    page.push(run);
    if (reported !== null && Object.keys(reported).length > 0) metrics.set(run.id, reported);
  }
  return {
    runs: page,
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    ...(withMetrics ? { metrics } : {}),
  };
}

/** A part of a job's runs that PostgreSQL finds through one index (see listRuns). */
type JobRunsPart = 'active' | 'other';

/** The parts a listing by job reads, as its statuses need them. */
function jobRunsParts(statuses: readonly string[] | undefined): JobRunsPart[] {
  if (statuses === undefined) return ['other', 'active'];
  const active = statuses.filter((status) => status === 'pending' || status === 'running').length;
  if (active === 0) return ['other'];
  return active === statuses.length ? ['active'] : ['other', 'active'];
}

interface PageRow {
  readonly run: RunRecord;
  readonly reported: Record<string, number> | null;
}

/** Up to `limit` rows, newest first. */
function newestFirst(rows: PageRow[], limit: number): PageRow[] {
  return rows.sort((a, b) => b.run.id - a.run.id).slice(0, limit);
}

/** The rows a page's statement read, as records and their metrics. */
function pageRows(rows: readonly { readonly run: unknown; readonly metrics: unknown }[]): PageRow[] {
  return rows.map(({ run, metrics }) => ({
    run: toRunRecord(runRowFromArray(readJsonColumn(run) as unknown[])),
    reported: readJsonColumn(metrics) as Record<string, number> | null,
  }));
}

function runsPageQuery(
  db: Kysely<Database>,
  query: ListRunsQuery,
  dialect: StoreDialect,
  statuses: readonly string[] | undefined,
  part: JobRunsPart | undefined,
  limit: number,
  withMetrics: boolean,
) {
  let select = db
    .selectFrom('runs')
    .select([
      runAsJsonArray(dialect).as('run'),
      (withMetrics ? runMetricsAsJsonObject(dialect) : sql<null>`NULL`).as('metrics'),
    ]);
  if (query.job !== undefined) select = select.where('job', '=', query.job);
  if (query.fanKey !== undefined) select = select.where('fan_key', '=', query.fanKey);
  if (query.rateKey !== undefined) select = select.where('rate_key', '=', query.rateKey);
  if (statuses !== undefined) {
    select = select.where('status', 'in', statuses);
    // The partial indexes' own conditions, spelled out: SQLite uses a partial index only when the
    // query repeats its condition. Pending and running runs are in runs_active; the statuses a
    // run rarely ends in are in runs_status; succeeded runs are found walking ids backwards.
    if (statuses.every((status) => status === 'pending' || status === 'running')) {
      select = select.where(sql<boolean>`status IN ('pending', 'running')`);
    } else if (
      statuses.every((status) => status !== 'pending' && status !== 'running' && status !== 'succeeded')
    ) {
      select = select.where(
        sql<boolean>`status <> 'pending' AND status <> 'running' AND status <> 'succeeded'`,
      );
    }
  }
  // As runs_job's condition (migration 024), and as runs_active's.
  if (part === 'other') select = select.where(sql<boolean>`status <> 'pending' AND status <> 'running'`);
  if (part === 'active') select = select.where(sql<boolean>`status IN ('pending', 'running')`);
  if (query.trigger !== undefined) select = select.where('trigger', '=', query.trigger);
  if (query.from !== undefined) select = select.where('scheduled_at', '>=', query.from);
  if (query.to !== undefined) select = select.where('scheduled_at', '<', query.to);
  if (query.cursor !== undefined && query.cursor !== null) select = select.where('id', '<', query.cursor);
  // A job's pending and running runs are read through runs_active and sorted: ordered by the
  // primary key, PostgreSQL may walk every run from the newest for a job with none.
  return select.orderBy(part === 'active' ? sql`id + 0` : sql`id`, 'desc').limit(limit);
}

export async function listTransitions(db: Kysely<Database>, runId: number): Promise<RunTransition[]> {
  const rows = await db
    .selectFrom('run_transitions')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return rows.map(toRunTransition);
}

export async function countActiveRuns(
  db: Kysely<Database>,
  jobs: readonly string[] | undefined,
): Promise<ActiveRunCount[]> {
  if (jobs !== undefined && jobs.length === 0) return [];
  let select = db
    .selectFrom('runs')
    .select(['job', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    // Literal, as in the partial index runs_active, so both planners can use it.
    .where(sql<boolean>`status IN ('pending', 'running')`)
    .groupBy(['job', 'status']);
  if (jobs !== undefined) select = select.where('job', 'in', jobs);
  const counts = new Map<string, { pending: number; running: number }>();
  for (const row of await select.execute()) {
    const entry = counts.get(row.job) ?? { pending: 0, running: 0 };
    counts.set(row.job, {
      pending: row.status === 'pending' ? Number(row.count) : entry.pending,
      running: row.status === 'running' ? Number(row.count) : entry.running,
    });
  }
  return [...counts]
    .map(([job, count]) => ({ job, ...count }))
    .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
}

export async function nextPendingRunAfter(
  db: Kysely<Database>,
  jobs: readonly string[] | undefined,
): Promise<number | null> {
  if (jobs !== undefined && jobs.length === 0) return null;
  let select = db
    .selectFrom('runs')
    .select((eb) => eb.fn.min('run_after').as('next'))
    .where('status', '=', 'pending');
  if (jobs !== undefined) select = select.where('job', 'in', jobs);
  const row = await select.executeTakeFirst();
  return row?.next ?? null;
}

export async function readLogs(
  db: Kysely<Database>,
  runId: number,
  options: ReadLogsOptions,
): Promise<LogChunk[]> {
  const rows = await db
    .selectFrom('run_logs')
    .selectAll()
    .where('run_id', '=', runId)
    .where('seq', '>', options.afterSeq ?? 0)
    .orderBy('seq')
    .limit(pageLimit(options.limit, 1000, 'limit'))
    .execute();
  return rows.map(toLogChunk);
}

export async function recordMetrics(
  db: Kysely<Database>,
  runId: number,
  values: Readonly<Record<string, number>>,
  at: number,
): Promise<number> {
  assertTime(at, 'at');
  const entries = Object.entries(values);
  for (const [name, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw invalid(`metrics.${name}`, 'a finite number', value);
  }
  if (entries.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('runs')
      .select(['job', 'fan_key'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (run === undefined) throw runNotFound(runId);
    await trx
      .insertInto('run_metrics')
      .values(
        entries.map(([name, value]) => ({
          run_id: runId,
          job: run.job,
          fan_key: run.fan_key,
          name,
          value,
          at,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['run_id', 'name']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          at: eb.ref('excluded.at'),
        })),
      )
      .execute();
    return entries.length;
  });
}

/** Newest first: what guards compare against and charts draw. */
export async function listMetrics(db: Kysely<Database>, query: ListMetricsQuery): Promise<MetricPoint[]> {
  let select = db.selectFrom('run_metrics').selectAll('run_metrics').where('run_metrics.job', '=', query.job);
  if (query.name !== undefined) select = select.where('run_metrics.name', '=', query.name);
  if (query.fanKey !== undefined) select = select.where('run_metrics.fan_key', '=', query.fanKey);
  if (query.excludeRunId !== undefined) select = select.where('run_metrics.run_id', '<>', query.excludeRunId);
  if (query.runStatus !== undefined) {
    const statuses = typeof query.runStatus === 'string' ? [query.runStatus] : [...query.runStatus];
    for (const status of statuses) assertRunStatus(status, 'runStatus');
    if (statuses.length === 0) return [];
    select = select.innerJoin('runs', 'runs.id', 'run_metrics.run_id').where('runs.status', 'in', statuses);
  }
  const rows = await select
    .orderBy('run_metrics.at', 'desc')
    .orderBy('run_metrics.run_id', 'desc')
    .orderBy('run_metrics.name')
    .limit(pageLimit(query.limit, 100, 'limit'))
    .execute();
  return rows.map(toMetricPoint);
}
