/**
 * History retention: removes, a batch at a time, runs that finished before a cutoff (with their
 * transitions, output and metrics; events that named them keep their record with no run), the
 * output of runs that finished before an earlier cutoff (the run record stays), and monitor pings
 * received before a cutoff. Pending and running runs are never touched, whatever their age.
 * Batches keep each transaction short, so a large backlog never holds the writer for long.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { PruneHistoryInput, PruneHistoryResult } from '../store-records.ts';
import type { StoreDialect } from '../store.ts';

export async function pruneHistory(
  db: Kysely<Database>,
  dialect: StoreDialect,
  input: PruneHistoryInput,
): Promise<PruneHistoryResult> {
  const { runsFinishedBefore, logsFinishedBefore, pingsBefore, limit } = input;
  return {
    runs: runsFinishedBefore === undefined ? 0 : await pruneRuns(db, dialect, runsFinishedBefore, limit),
    // Runs the first part removes anyway (older than its cutoff) are left to it.
    logs:
      logsFinishedBefore === undefined
        ? 0
        : await pruneLogs(db, { before: logsFinishedBefore, notBefore: runsFinishedBefore }, limit),
    pings: pingsBefore === undefined ? 0 : await prunePings(db, pingsBefore, limit),
  };
}

/** Up to `limit` finished runs, oldest id first, that ended before `before` (and not before `notBefore`). */
async function finishedRunIds(
  db: Kysely<Database>,
  range: { readonly before: number; readonly notBefore?: number | undefined; readonly withLogs?: boolean },
  limit: number,
): Promise<number[]> {
  let select = db.selectFrom('runs').select('id').where('finished_at', '<', range.before);
  if (range.notBefore !== undefined) select = select.where('finished_at', '>=', range.notBefore);
  if (range.withLogs === true) select = select.where('log_bytes', '>', 0);
  return (await select.orderBy('id').limit(limit).execute()).map((row) => row.id);
}

async function pruneRuns(
  db: Kysely<Database>,
  dialect: StoreDialect,
  before: number,
  limit: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = await finishedRunIds(trx, { before }, limit);
    if (ids.length === 0) return 0;
    // run_transitions has no foreign key (it is on the dispatch hot path): removed explicitly.
    await trx.deleteFrom('run_transitions').where('run_id', 'in', ids).execute();
    const deleted = await trx.deleteFrom('runs').where('id', 'in', ids).returning('fire_key').execute();
    // PostgreSQL keeps fire keys apart (migration 025); a pruned run's key goes with it, as the
    // run's entry in SQLite's unique index does.
    const keys = deleted.flatMap((row) => (row.fire_key === null ? [] : [row.fire_key]));
    if (dialect === 'postgres' && keys.length > 0) {
      await trx.deleteFrom('run_fire_keys').where('fire_key', 'in', keys).execute();
    }
    return deleted.length;
  });
}

async function pruneLogs(
  db: Kysely<Database>,
  range: { readonly before: number; readonly notBefore: number | undefined },
  limit: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ids = await finishedRunIds(trx, { ...range, withLogs: true }, limit);
    if (ids.length === 0) return 0;
    await trx.deleteFrom('run_logs').where('run_id', 'in', ids).execute();
    // The record stays; `log_truncated` says its output is no longer (all) there.
    await trx.updateTable('runs').set({ log_truncated: true, log_bytes: 0 }).where('id', 'in', ids).execute();
    return ids.length;
  });
}

async function prunePings(db: Kysely<Database>, before: number, limit: number): Promise<number> {
  const ids = (
    await db
      .selectFrom('monitor_pings')
      .select('id')
      .where('at', '<', before)
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((row) => row.id);
  if (ids.length === 0) return 0;
  const deleted = await db.deleteFrom('monitor_pings').where('id', 'in', ids).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
