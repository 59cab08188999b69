/**
 * Starts of a job whose `cooldown` decides them, checked and written as one step per job and
 * fan-out key: one write transaction takes each key's lock (PostgreSQL: a transaction advisory
 * lock per key; SQLite: the write lock itself, as Kysely's transactions there begin IMMEDIATE),
 * reads the keys' last starts, asks `decide` what to start, inserts its runs and releases its held
 * runs. Two starts of one key at once — a trigger and the leader's fire, a chained start, the
 * queue's release, from two nodes or two requests — so run one after the other and the second
 * sees the first's start. Only jobs with a cooldown come here; every other insert takes the
 * backend's batch path and pays nothing.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { RunKey } from '../overview-records.ts';
import type { RunRecord } from '../run-record.ts';
import { assertTime, insertedRunRecord, invalid, runInsertColumns, toRunInsertValues } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import type { CooldownStarts, RunStart, StartRunsResult, StoreDialect } from '../store.ts';
import { lastRunStarts } from './run-start-queries.ts';
import { releaseHeldRunsIn } from './status-changes.ts';

/** Answers what to start from the keys' last starts; throws to refuse (nothing is written). */
export type DecideStarts = (starts: readonly RunStart[]) => CooldownStarts;

export async function startRunsInCooldown(
  db: Kysely<Database>,
  dialect: StoreDialect,
  keys: readonly RunKey[],
  decide: DecideStarts,
): Promise<StartRunsResult> {
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
    const { runs, release } = decide(await lastRunStarts(trx, sorted));
    if (release !== undefined) {
      assertTime(release.input.at, 'release.at');
      if (!release.runIds.every((id) => Number.isSafeInteger(id)))
        throw invalid('release.runIds', 'run ids', release.runIds);
    }
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
    const released = release === undefined ? [] : await releaseHeldRunsIn(trx, release.runIds, release.input);
    return { inserted, duplicates: runs.length - inserted.length, released };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
