/**
 * What queues and run details ask of the runs table beyond the dispatch path: pending runs of a
 * job oldest first, active runs per rate key, moving held runs' earliest start (releasing them),
 * each job's latest run, a run's attempts and its reported numbers. Shared SQL, no new indexes:
 * these read through `runs_active`, `runs_job` and `runs_first_run`.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ListPendingRunsQuery, RateKeyCount, RescheduleRunsInput } from '../api-records.ts';
import type { RunRecord } from '../run-record.ts';
import { assertTime, invalid, toRunRecord } from '../row-mapping.ts';
import type { Database, RunRow } from '../schema.ts';
import { pageLimit } from './run-queries.ts';

const chunk = 500;

/** Pending runs of one job, oldest (lowest id) first. */
export async function listPendingRuns(
  db: Kysely<Database>,
  query: ListPendingRunsQuery,
): Promise<RunRecord[]> {
  if (typeof query.job !== 'string' || query.job === '') throw invalid('job', 'a job name', query.job);
  const limit = pageLimit(query.limit, 100, 'limit');
  let select = db
    .selectFrom('runs')
    .selectAll()
    .where(sql<boolean>`status IN ('pending', 'running')`)
    .where('status', '=', 'pending')
    .where('job', '=', query.job);
  if (query.runAfterFrom !== undefined) {
    assertTime(query.runAfterFrom, 'runAfterFrom');
    select = select.where('run_after', '>=', query.runAfterFrom);
  }
  if (query.afterId !== undefined) {
    if (!Number.isSafeInteger(query.afterId)) throw invalid('afterId', 'a run id', query.afterId);
    select = select.where('id', '>', query.afterId);
  }
  const rows = (await select.orderBy('id').limit(limit).execute()) as RunRow[];
  return rows.map(toRunRecord);
}

/**
 * Pending and running runs of one job per rate key. With `runAfterBefore`, pending runs count
 * only when their earliest start is before it (runs held back are not in progress).
 */
export async function countActiveRunsByKey(
  db: Kysely<Database>,
  job: string,
  runAfterBefore: number | undefined,
): Promise<RateKeyCount[]> {
  if (runAfterBefore !== undefined) assertTime(runAfterBefore, 'runAfterBefore');
  let select = db
    .selectFrom('runs')
    .select(['rate_key', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where(sql<boolean>`status IN ('pending', 'running')`)
    .where('job', '=', job)
    .groupBy(['rate_key', 'status']);
  if (runAfterBefore !== undefined) {
    select = select.where((eb) =>
      eb.or([eb('status', '=', 'running'), eb('run_after', '<', runAfterBefore)]),
    );
  }
  const counts = new Map<string | null, { pending: number; running: number }>();
  for (const row of await select.execute()) {
    const entry = counts.get(row.rate_key) ?? { pending: 0, running: 0 };
    counts.set(row.rate_key, {
      pending: row.status === 'pending' ? Number(row.count) : entry.pending,
      running: row.status === 'running' ? Number(row.count) : entry.running,
    });
  }
  return [...counts]
    .map(([rateKey, count]) => ({ rateKey, ...count }))
    .sort((a, b) =>
      (a.rateKey ?? '') < (b.rateKey ?? '') ? -1 : (a.rateKey ?? '') > (b.rateKey ?? '') ? 1 : 0,
    );
}

/** Compare-and-set of pending runs' earliest start; returns the ids it moved. */
export async function rescheduleRuns(
  db: Kysely<Database>,
  runIds: readonly number[],
  input: RescheduleRunsInput,
): Promise<number[]> {
  assertTime(input.from, 'from');
  assertTime(input.to, 'to');
  const moved: number[] = [];
  for (let start = 0; start < runIds.length; start += chunk) {
    const rows = await db
      .updateTable('runs')
      .set({ run_after: input.to })
      .where('id', 'in', runIds.slice(start, start + chunk))
      .where('status', '=', 'pending')
      .where('run_after', '=', input.from)
      .returning('id')
      .execute();
    moved.push(...rows.map((row) => row.id));
  }
  return moved.sort((a, b) => a - b);
}

/** The newest run of each job named (jobs without runs are left out), in the order asked. */
export async function latestRuns(db: Kysely<Database>, jobs: readonly string[]): Promise<RunRecord[]> {
  const latest: RunRecord[] = [];
  for (let start = 0; start < jobs.length; start += chunk) {
    const names = jobs.slice(start, start + chunk);
    const ids = await db
      .selectFrom('runs')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('job', 'in', names)
      .groupBy('job')
      .execute();
    const wanted = ids.map((row) => Number(row.id)).filter((id) => Number.isSafeInteger(id));
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
