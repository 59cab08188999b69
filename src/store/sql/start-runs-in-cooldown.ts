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
import type { Kysely, Transaction } from 'kysely';
import type { RunKey } from '../overview-records.ts';
import type { NewRun, RunRecord } from '../run-record.ts';
import {
  assertTime,
  insertedRunRecord,
  invalid,
  runInsertColumns,
  toRunInsertValues,
} from '../row-mapping.ts';
import type { RunInsertValues } from '../row-mapping.ts';
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
      // One statement for every key's lock, taken row by row in the order sent (the keys' order).
      const jobs = sorted.map((key) => key.job);
      const fanKeys = sorted.map((key) => key.fanKey);
      await sql`SELECT count(pg_advisory_xact_lock(hashtext(key.job), hashtext(key.fan_key)))
        FROM (SELECT job, fan_key FROM unnest(${jobs}::text[], ${fanKeys}::text[]) WITH ORDINALITY
              AS keys(job, fan_key, n) ORDER BY n) AS key`.execute(trx);
    }
    const { runs, release } = decide(await lastRunStarts(trx, sorted));
    if (release !== undefined) {
      assertTime(release.input.at, 'release.at');
      if (!release.runIds.every((id) => Number.isSafeInteger(id)))
        throw invalid('release.runIds', 'run ids', release.runIds);
    }
    const inserted = await insertRunsIn(trx, dialect, runs);
    const released = release === undefined ? [] : await releaseHeldRunsIn(trx, release.runIds, release.input);
    return { inserted, duplicates: runs.length - inserted.length, released };
  });
}

/** Rows a statement, well under SQLite's bound on parameters (19 a row). */
const insertChunk = 500;

/**
 * The decided runs, inserted in the transaction that holds the locks: a multi-row statement per
 * chunk and one for its transitions. A run whose fire key is recorded already (or given earlier
 * in the list) is skipped. Every run is checked before any is written.
 */
async function insertRunsIn(
  trx: Transaction<Database>,
  dialect: StoreDialect,
  runs: readonly NewRun[],
): Promise<RunRecord[]> {
  const values = runs.map((run, index) => toRunInsertValues(run, index));
  const inserted: RunRecord[] = [];
  for (let start = 0; start < runs.length; start += insertChunk) {
    const part = await unrecordedFireKeys(
      trx,
      dialect,
      values.slice(start, start + insertChunk).map((value, offset) => ({ value, at: start + offset })),
    );
    const rows = part.map(({ value }) => {
      const row = Object.fromEntries(runInsertColumns.map((column, at) => [column, value[at]]));
      if (dialect === 'sqlite') row.dry_run = value[13] ? 1 : 0;
      return row;
    });
    if (rows.length === 0) continue;
    const insert = trx.insertInto('runs').values(rows as never);
    const created = await (
      dialect === 'sqlite'
        ? insert.onConflict((conflict) =>
            conflict.column('fire_key').where('fire_key', 'is not', null).doNothing(),
          )
        : insert
    )
      .returning(['id', 'fire_key'])
      .execute();
    // Ids follow the rows' order; a fire key names its row (its first one in the list).
    const byFireKey = new Map(
      created.filter((row) => row.fire_key !== null).map((row) => [row.fire_key, Number(row.id)]),
    );
    const plain = created
      .filter((row) => row.fire_key === null)
      .map((row) => Number(row.id))
      .sort((a, b) => a - b);
    const made: { id: number; at: number }[] = [];
    for (const { value, at } of part) {
      const fireKey = value[14];
      const id = fireKey === null ? plain.shift() : byFireKey.get(fireKey);
      if (id === undefined) continue;
      if (fireKey !== null) byFireKey.delete(fireKey);
      made.push({ id, at });
    }
    if (made.length === 0) continue;
    await trx
      .insertInto('run_transitions')
      .values(
        made.map(({ id, at }) => {
          const value = values[at] as RunInsertValues;
          return {
            run_id: id,
            seq: 1,
            at: value[10],
            from_status: null,
            to_status: value[15],
            reason: value[16],
            node: null,
          };
        }),
      )
      .execute();
    for (const { id, at } of made)
      inserted.push(insertedRunRecord(id, values[at] as RunInsertValues, runs[at] as NewRun));
  }
  return inserted.sort((a, b) => a.id - b.id);
}

/**
 * PostgreSQL keeps fire keys in `run_fire_keys` (migration 025): a part's keys are recorded there
 * first, and only rows without a key or with a key recorded now (its first row in the part) go on
 * to be inserted. SQLite's runs carry the unique index themselves: every row goes on, and the
 * insert skips those whose key is taken.
 */
async function unrecordedFireKeys<Row extends { readonly value: RunInsertValues }>(
  trx: Transaction<Database>,
  dialect: StoreDialect,
  part: readonly Row[],
): Promise<readonly Row[]> {
  if (dialect === 'sqlite') return part;
  const keys = [...new Set(part.map(({ value }) => value[14]).filter((key) => key !== null))];
  if (keys.length === 0) return part;
  const recorded = new Set(
    (
      await trx
        .insertInto('run_fire_keys')
        .values(keys.map((key) => ({ fire_key: key })))
        .onConflict((conflict) => conflict.column('fire_key').doNothing())
        .returning('fire_key')
        .execute()
    ).map((row) => row.fire_key),
  );
  return part.filter(({ value }) => {
    const key = value[14];
    if (key === null) return true;
    // The first row with a recorded key takes it; a later one in the part is a duplicate.
    return recorded.delete(key);
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
