/**
 * What queues and run details ask of the runs table beyond the dispatch path: held runs of a job
 * oldest first, active runs per rate key, each job's latest run, a run's attempts and its
 * reported numbers. Shared SQL, read through `runs_held`, `runs_active`, `runs_job` and
 * `runs_first_run`. Releasing held runs is a status change (`sql/status-changes.ts`).
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { ListHeldRunsQuery, ListOverdueRunsQuery, RateKeyCount } from '../api-records.ts';
import type { RunRecord } from '../run-record.ts';
import { assertTime, invalid, toRunRecord } from '../row-mapping.ts';
import type { Database, RunRow } from '../schema.ts';
import type { StoreDialect } from '../store.ts';
import { pageLimit } from './run-queries.ts';

const chunk = 500;

/** Held runs of one job (a queue's waiting items), oldest (lowest id) first. */
export async function listHeldRuns(db: Kysely<Database>, query: ListHeldRunsQuery): Promise<RunRecord[]> {
  if (typeof query.job !== 'string' || query.job === '') throw invalid('job', 'a job name', query.job);
  const limit = pageLimit(query.limit, 100, 'limit');
  // Literal, as in the partial index runs_held (job, id): SQLite uses a partial index only when
  // the query repeats its condition, and a bound parameter does not.
  let select = db
    .selectFrom('runs')
    .selectAll()
    .where(sql<boolean>`status = 'held'`)
    .where('job', '=', query.job);
  if (query.afterId !== undefined) {
    if (!Number.isSafeInteger(query.afterId)) throw invalid('afterId', 'a run id', query.afterId);
    select = select.where('id', '>', query.afterId);
  }
  const rows = (await select.orderBy('id').limit(limit).execute()) as RunRow[];
  return rows.map(toRunRecord);
}

/**
 * Held, pending and running runs of one job per rate key. Two counts, each through its partial
 * index: held runs through runs_held, pending and running ones through runs_active; in one
 * statement, so with one snapshot (read one after the other, a run released between the two was
 * counted twice, and one ending in neither).
 */
export async function countActiveRunsByKey(db: Kysely<Database>, job: string): Promise<RateKeyCount[]> {
  const count = (statuses: RawBuilder<boolean>) =>
    db
      .selectFrom('runs')
      .select(['rate_key', 'status', (eb) => eb.fn.countAll<number>().as('count')])
      .where(statuses)
      .where('job', '=', job)
      .groupBy(['rate_key', 'status']);
  const rows = await count(sql<boolean>`status = 'held'`)
    .unionAll(count(sql<boolean>`status IN ('pending', 'running')`))
    .execute();
  const counts = new Map<string | null, { held: number; pending: number; running: number }>();
  const entry = (rateKey: string | null) => {
    const found = counts.get(rateKey) ?? { held: 0, pending: 0, running: 0 };
    counts.set(rateKey, found);
    return found;
  };
  for (const row of rows) {
    if (row.status === 'held') entry(row.rate_key).held = Number(row.count);
    if (row.status === 'pending') entry(row.rate_key).pending = Number(row.count);
    if (row.status === 'running') entry(row.rate_key).running = Number(row.count);
  }
  return [...counts]
    .map(([rateKey, count]) => ({ rateKey, ...count }))
    .sort((a, b) =>
      (a.rateKey ?? '') < (b.rateKey ?? '') ? -1 : (a.rateKey ?? '') > (b.rateKey ?? '') ? 1 : 0,
    );
}

/**
 * Pending runs due before `pendingDueBefore` and running runs whose lease expired before
 * `leaseExpiredBefore` or that started before `runningStartedBefore`, of one job, oldest (lowest
 * id) first; through runs_active.
 */
export async function listOverdueRuns(
  db: Kysely<Database>,
  query: ListOverdueRunsQuery,
): Promise<RunRecord[]> {
  if (typeof query.job !== 'string' || query.job === '') throw invalid('job', 'a job name', query.job);
  assertTime(query.pendingDueBefore, 'pendingDueBefore');
  assertTime(query.leaseExpiredBefore, 'leaseExpiredBefore');
  const startedBefore = query.runningStartedBefore;
  if (startedBefore !== undefined) assertTime(startedBefore, 'runningStartedBefore');
  const limit = pageLimit(query.limit, 100, 'limit');
  const rows = (await db
    .selectFrom('runs')
    .selectAll()
    // Literal, as in the partial index runs_active (see listHeldRuns).
    .where(sql<boolean>`status IN ('pending', 'running')`)
    .where('job', '=', query.job)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('run_after', '<', query.pendingDueBefore)]),
        eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', query.leaseExpiredBefore)]),
        ...(startedBefore === undefined
          ? []
          : [eb.and([eb('status', '=', 'running'), eb('started_at', '<', startedBefore)])]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute()) as RunRow[];
  return rows.map(toRunRecord);
}

/**
 * The newest run of each job named (jobs without runs are left out), in the order asked. Each
 * job's newest id is its own `max(id)`, one index seek on `runs_job` per job however many runs the
 * jobs have (not a `GROUP BY` over all their runs), asked for a list of names given as `VALUES`:
 * one plan for the whole list, cheap to make on both databases (a `UNION` of a select per name
 * cost PostgreSQL 60 ms to plan at 500 names). On PostgreSQL `runs_job` holds only the runs that
 * are neither pending nor running (migration 024): the newest of those and the newest pending or
 * running one (through runs_active) are each a `max(id)`, and the later of the two is the job's.
 */
export async function latestRuns(
  db: Kysely<Database>,
  jobs: readonly string[],
  dialect: StoreDialect,
): Promise<RunRecord[]> {
  const latest: RunRecord[] = [];
  for (let start = 0; start < jobs.length; start += chunk) {
    const names = jobs.slice(start, start + chunk);
    if (names.length === 0) continue;
    const values = sql.join(names.map((name) => sql`(${name})`));
    const newest =
      dialect === 'postgres'
        ? await sql<{ id: number | string | null }>`
      SELECT GREATEST(
        (SELECT max(r.id) FROM runs r WHERE r.job = j.column1 AND status <> 'pending' AND status <> 'running'),
        (SELECT max(r.id) FROM runs r WHERE r.job = j.column1 AND status IN ('pending', 'running'))
      ) AS id
      FROM (VALUES ${values}) AS j`.execute(db)
        : await sql<{ id: number | string | null }>`
      SELECT (SELECT max(r.id) FROM runs r WHERE r.job = j.column1) AS id
      FROM (VALUES ${values}) AS j`.execute(db);
    const wanted = newest.rows
      .map((row) => Number(row.id))
      .filter((id) => Number.isSafeInteger(id) && id > 0);
    if (wanted.length === 0) continue;
    const rows = (await db.selectFrom('runs').selectAll().where('id', 'in', wanted).execute()) as RunRow[];
    latest.push(...rows.map(toRunRecord));
  }
  const order = new Map(jobs.map((job, index) => [job, index]));
  return latest.sort((a, b) => (order.get(a.job) ?? 0) - (order.get(b.job) ?? 0));
}

/** Every attempt of a run: the first one and its retries, by attempt. */
export async function listAttempts(db: Kysely<Database>, firstRunId: number): Promise<RunRecord[]> {
  const rows = (await db
    .selectFrom('runs')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', firstRunId), eb('first_run_id', '=', firstRunId)]))
    .orderBy('attempt')
    .orderBy('id')
    .execute()) as RunRow[];
  return rows.map(toRunRecord);
}

export async function getRunMetrics(db: Kysely<Database>, runId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('run_metrics')
    .select(['name', 'value'])
    .where('run_id', '=', runId)
    .orderBy('name')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.value)]));
}

/** The numbers of many runs at once (a page of a listing), by run id then name. */
export async function listRunMetrics(
  db: Kysely<Database>,
  runIds: readonly number[],
): Promise<Map<number, Record<string, number>>> {
  const metrics = new Map<number, Record<string, number>>();
  for (let start = 0; start < runIds.length; start += chunk) {
    const ids = runIds.slice(start, start + chunk);
    if (ids.length === 0) continue;
    const rows = await db
      .selectFrom('run_metrics')
      .select(['run_id', 'name', 'value'])
      .where('run_id', 'in', ids)
      .orderBy('run_id')
      .orderBy('name')
      .execute();
    for (const row of rows) {
      const id = Number(row.run_id);
      const values = metrics.get(id) ?? {};
      values[row.name] = Number(row.value);
      metrics.set(id, values);
    }
  }
  return metrics;
}
