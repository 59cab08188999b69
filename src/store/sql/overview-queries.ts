/**
 * The overview's reads both dialects share: the checks of a recent-runs query, and the changes of
 * status after an id (`run_transitions` by its id, migration 011, joined to the run by its key).
 * The recent runs themselves are read by each dialect's backend (`recent-runs.ts`).
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type {
  RecentRunRecord,
  RecentRunsQuery,
  RunChangeRecord,
  RunChangesQuery,
} from '../overview-records.ts';
import { invalid } from '../row-mapping.ts';
import { assertRunStatus } from '../run-status.ts';
import type { Database } from '../schema.ts';

/** The most keys one recent-runs read takes. */
export const maxRecentKeys = 100_000;

export function checkRecentRunsQuery(query: RecentRunsQuery): void {
  if (!Number.isSafeInteger(query.perKey) || query.perKey < 1 || query.perKey > 100)
    throw invalid('perKey', 'a whole number from 1 to 100', query.perKey);
  if (!Array.isArray(query.keys) || query.keys.length > maxRecentKeys)
    throw invalid('keys', `a list of at most ${maxRecentKeys} job and fan-out keys`, query.keys?.length);
  for (const [index, key] of query.keys.entries()) {
    if (typeof key?.job !== 'string' || key.job === '')
      throw invalid(`keys[${index}].job`, 'a job name', key?.job);
    if (typeof key.fanKey !== 'string') throw invalid(`keys[${index}].fanKey`, 'a fan-out key', key.fanKey);
  }
}

/** A row of a recent-runs read, as both backends select it. */
export interface RecentRunRow {
  readonly id: number;
  readonly job: string;
  readonly fan_key: string;
  readonly status: string;
  readonly scheduled_at: number;
  readonly started_at: number | null;
  readonly finished_at: number | null;
}

export function toRecentRun(row: RecentRunRow): RecentRunRecord {
  return {
    id: Number(row.id),
    job: row.job,
    fanKey: row.fan_key,
    status: assertRunStatus(row.status, 'runs.status'),
    scheduledAt: Number(row.scheduled_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** Changes of status with an id above `afterId` (and those of `alsoIds`), by id. */
export async function readRunChanges(
  db: Kysely<Database>,
  query: RunChangesQuery,
): Promise<RunChangeRecord[]> {
  if (!Number.isSafeInteger(query.afterId) || query.afterId < 0)
    throw invalid('afterId', 'a whole number >= 0', query.afterId);
  const limit = query.limit ?? 500;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
    throw invalid('limit', 'a whole number from 1 to 1000', limit);
  const also = query.alsoIds ?? [];
  if (also.length > 1000 || !also.every((id) => Number.isSafeInteger(id)))
    throw invalid('alsoIds', 'at most 1000 ids', also.length);
  // Two reads, each an index range or lookup: an OR of both would have SQLite walk the table.
  const after = await changesWhere(db, (eb) => eb('t.id', '>', query.afterId), limit);
  const late =
    also.length === 0 ? [] : await changesWhere(db, (eb) => eb('t.id', 'in', [...also]), also.length);
  const rows = [...late, ...after];
  return rows.map((row) => ({
    id: Number(row.id),
    runId: Number(row.run_id),
    job: row.job,
    fanKey: row.fan_key,
    status: assertRunStatus(row.to_status, 'run_transitions.to_status'),
    at: Number(row.at),
    scheduledAt: Number(row.scheduled_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  }));
}

function changesWhere(
  db: Kysely<Database>,
  where: (eb: ExpressionBuilder<ChangeTables, 't' | 'r'>) => Expression<SqlBool>,
  limit: number,
) {
  return db
    .selectFrom('run_transitions as t')
    .innerJoin('runs as r', 'r.id', 't.run_id')
    .select([
      't.id as id',
      't.run_id as run_id',
      't.to_status as to_status',
      't.at as at',
      'r.job as job',
      'r.fan_key as fan_key',
      'r.scheduled_at as scheduled_at',
      'r.started_at as started_at',
      'r.finished_at as finished_at',
    ])
    .where(where)
    .orderBy('t.id')
    .limit(limit)
    .execute();
}

type ChangeTables = Database & { t: Database['run_transitions']; r: Database['runs'] };

/** The id of the newest change of status written (0 when none): where a new reader starts. */
export async function lastRunChangeId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('run_transitions')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
}
