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

export async function pruneHistory(
  db: Kysely<Database>,
  input: PruneHistoryInput,
): Promise<PruneHistoryResult> {
  let runs = 0;
  let logs = 0;
  let pings = 0;
  if (input.runsFinishedBefore !== undefined) {
    const cutoff = input.runsFinishedBefore;
    runs = await db.transaction().execute(async (trx) => {
      const ids = (
        await trx
          .selectFrom('runs')
          .select('id')
          .where('finished_at', '<', cutoff)
          .orderBy('id')
          .limit(input.limit)
          .execute()
      ).map((row) => row.id);
      if (ids.length === 0) return 0;
      // run_transitions has no foreign key (it is on the dispatch hot path): removed explicitly.
      await trx.deleteFrom('run_transitions').where('run_id', 'in', ids).execute();
      const deleted = await trx.deleteFrom('runs').where('id', 'in', ids).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
  }
  if (input.logsFinishedBefore !== undefined) {
    const cutoff = input.logsFinishedBefore;
    // Runs the first part removes anyway (older than its cutoff) are left to it.
    const removedBefore = input.runsFinishedBefore;
    logs = await db.transaction().execute(async (trx) => {
      let select = trx
        .selectFrom('runs')
        .select('id')
        .where('finished_at', '<', cutoff)
        .where('log_bytes', '>', 0);
      if (removedBefore !== undefined) select = select.where('finished_at', '>=', removedBefore);
      const ids = (await select.orderBy('id').limit(input.limit).execute()).map((row) => row.id);
      if (ids.length === 0) return 0;
      await trx.deleteFrom('run_logs').where('run_id', 'in', ids).execute();
      // The record stays; `log_truncated` says its output is no longer (all) there.
      await trx
        .updateTable('runs')
        .set({ log_truncated: true, log_bytes: 0 })
        .where('id', 'in', ids)
        .execute();
      return ids.length;
    });
  }
  if (input.pingsBefore !== undefined) {
    const cutoff = input.pingsBefore;
    const ids = (
      await db
        .selectFrom('monitor_pings')
        .select('id')
        .where('at', '<', cutoff)
        .orderBy('id')
        .limit(input.limit)
        .execute()
    ).map((row) => row.id);
    if (ids.length > 0) {
      const deleted = await db.deleteFrom('monitor_pings').where('id', 'in', ids).executeTakeFirst();
      pings = Number(deleted.numDeletedRows);
    }
  }
  return { runs, logs, pings };
}
