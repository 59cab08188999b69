/**
 * Runs whose job's `cooldown` decides them, checked and inserted as one step per job and fan-out
 * key: one write transaction takes each key's lock (PostgreSQL: a transaction advisory lock per
 * key; SQLite: the write lock itself, as Kysely's transactions there begin IMMEDIATE), reads the
 * keys' last starts, asks `decide` which runs to record and inserts them. Two triggers of one key
 * at once, from two nodes or two requests, so run one after the other and the second sees the
 * first's run. Only jobs with a cooldown come here; every other insert takes the backend's batch
 * path and pays nothing.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { RunKey } from '../overview-records.ts';
import type { NewRun, RunRecord } from '../run-record.ts';
import { insertedRunRecord, invalid, runInsertColumns, toRunInsertValues } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import type { InsertRunsResult, RunStart, StoreDialect } from '../store.ts';
import { lastRunStarts } from './run-start-queries.ts';

/** Answers the runs to record from the keys' last starts; throws to refuse (nothing is written). */
export type DecideRuns = (starts: readonly RunStart[]) => readonly NewRun[];

export async function insertRunsInCooldown(
  db: Kysely<Database>,
  dialect: StoreDialect,
  keys: readonly RunKey[],
  decide: DecideRuns,
): Promise<InsertRunsResult> {
  if (keys.length === 0) throw invalid('keys', 'at least one job and fan-out key', keys);
  if (typeof decide !== 'function') throw invalid('decide', 'a function', typeof decide);
  // Locks are taken in one order (job, then fan-out key), so two callers never wait on each other in a cycle.
  const sorted = [...new Map(keys.map((key) => [`${key.job}\0${key.fanKey}`, key])).values()].sort(
    (a, b) => compare(a.job, b.job) || compare(a.fanKey, b.fanKey),
  );
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      for (const key of sorted)
        await sql`SELECT pg_advisory_xact_lock(hashtext(${key.job}), hashtext(${key.fanKey}))`.execute(trx);
    }
    const runs = decide(await lastRunStarts(trx, sorted));
    const inserted: RunRecord[] = [];
    for (const [index, run] of runs.entries()) {
      const values = toRunInsertValues(run, index);
      const row = Object.fromEntries(runInsertColumns.map((column, at) => [column, values[at]]));
      if (dialect === 'sqlite') row.dry_run = values[13] ? 1 : 0;
      const created = await trx
        .insertInto('runs')
        .values(row as never)
        .onConflict((conflict) => conflict.column('fire_key').where('fire_key', 'is not', null).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (created === undefined) continue;
      const id = Number(created.id);
      await trx
        .insertInto('run_transitions')
        .values({
          run_id: id,
          seq: 1,
          at: values[10],
          from_status: null,
          to_status: values[15],
          reason: values[16],
          node: null,
        })
        .execute();
      inserted.push(insertedRunRecord(id, values, run));
    }
    return { inserted, duplicates: runs.length - inserted.length };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
