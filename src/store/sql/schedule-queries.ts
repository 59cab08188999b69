/**
 * Scheduler bookkeeping: per-job schedule state (for catch-up after downtime) and named leases
 * (the leader lease), in SQL both dialects share.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { LeaseRecord, ScheduleState } from '../store-records.ts';
import { assertTime, invalid, toLeaseRecord, toScheduleState } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import type { AcquireLeaseInput, StoreDialect } from '../store.ts';

/** States per statement: SQLite binds 3 parameters a state; PostgreSQL sends 3 arrays (`unnest`). */
const statesPerStatement: { readonly [Dialect in StoreDialect]: number } = { sqlite: 500, postgres: 10_000 };

export async function getScheduleState(
  db: Kysely<Database>,
  job: string,
): Promise<ScheduleState | undefined> {
  const row = await db.selectFrom('schedule_state').selectAll().where('job', '=', job).executeTakeFirst();
  return row === undefined ? undefined : toScheduleState(row);
}

export async function listScheduleStates(db: Kysely<Database>): Promise<ScheduleState[]> {
  return (await db.selectFrom('schedule_state').selectAll().orderBy('job').execute()).map(toScheduleState);
}

function checkScheduleStates(states: readonly ScheduleState[]): void {
  states.forEach((state, index) => {
    if (typeof state.job !== 'string' || state.job === '')
      throw invalid(`states[${index}].job`, 'a job name', state.job);
    if (state.lastFireAt !== null) assertTime(state.lastFireAt, `states[${index}].lastFireAt`);
    if (state.nextFireAt !== null) assertTime(state.nextFireAt, `states[${index}].nextFireAt`);
  });
}

async function writeScheduleStates(
  db: Kysely<Database>,
  dialect: StoreDialect,
  states: readonly ScheduleState[],
): Promise<void> {
  const chunk = statesPerStatement[dialect];
  for (let start = 0; start < states.length; start += chunk) {
    const part = states.slice(start, start + chunk);
    if (dialect === 'postgres') await writePostgres(db, part);
    else await writeValues(db, part);
  }
}

async function writePostgres(db: Kysely<Database>, states: readonly ScheduleState[]): Promise<void> {
  const jobs: string[] = [];
  const lastFires: (number | null)[] = [];
  const nextFires: (number | null)[] = [];
  for (const state of states) {
    jobs.push(state.job);
    lastFires.push(state.lastFireAt);
    nextFires.push(state.nextFireAt);
  }
  await sql`
    INSERT INTO schedule_state (job, last_fire_at, next_fire_at)
    SELECT * FROM unnest(${jobs}::text[], ${lastFires}::bigint[], ${nextFires}::bigint[])
    ON CONFLICT (job) DO UPDATE SET
      last_fire_at = excluded.last_fire_at,
      next_fire_at = excluded.next_fire_at`.execute(db);
}

async function writeValues(db: Kysely<Database>, states: readonly ScheduleState[]): Promise<void> {
  await db
    .insertInto('schedule_state')
    .values(
      states.map((state) => ({
        job: state.job,
        last_fire_at: state.lastFireAt,
        next_fire_at: state.nextFireAt,
      })),
    )
    .onConflict((conflict) =>
      conflict.column('job').doUpdateSet((eb) => ({
        last_fire_at: eb.ref('excluded.last_fire_at'),
        next_fire_at: eb.ref('excluded.next_fire_at'),
      })),
    )
    .execute();
}

export async function setScheduleStates(
  db: Kysely<Database>,
  dialect: StoreDialect,
  states: readonly ScheduleState[],
): Promise<void> {
  checkScheduleStates(states);
  if (states.length === 0) return;
  if (states.length <= statesPerStatement[dialect]) await writeScheduleStates(db, dialect, states);
  else await db.transaction().execute((trx) => writeScheduleStates(trx, dialect, states));
}

/**
 * Writes schedule states only while `owner` still holds the lease `name` (a fencing check): a
 * leader that lost its lease while it was slow cannot move the cursor the new leader has read.
 * The lease row is touched first, in the same transaction, so a node taking the lease meanwhile
 * waits for this write (PostgreSQL's row lock, SQLite's write lock) and then reads it.
 */
export async function setScheduleStatesAsHolder(
  db: Kysely<Database>,
  dialect: StoreDialect,
  lease: { readonly name: string; readonly owner: string },
  states: readonly ScheduleState[],
): Promise<boolean> {
  checkScheduleStates(states);
  return db.transaction().execute(async (trx) => {
    const held = await trx
      .updateTable('leases')
      .set((eb) => ({ owner: eb.ref('owner') }))
      .where('name', '=', lease.name)
      .where('owner', '=', lease.owner)
      .executeTakeFirst();
    if (held.numUpdatedRows !== 1n) return false;
    await writeScheduleStates(trx, dialect, states);
    return true;
  });
}

/**
 * The checks of `Store.acquireLease`'s input. The statement (`node-beats.ts` of each dialect)
 * takes the lease when it is free or expired (`expires_at <= now`), or when its holder is
 * provably gone: its node row (the holder is an instance id) is stopped — it stopped cleanly, or
 * a process on its host found its pid dead — or its heartbeat is older than its own `stale_ms`;
 * renews it when `owner` already holds it. One statement, so two nodes racing cannot both win.
 */
export function checkAcquireLease(input: AcquireLeaseInput): void {
  assertTime(input.now, 'now');
  assertTime(input.until, 'until');
}

export async function releaseLease(db: Kysely<Database>, name: string, owner: string): Promise<boolean> {
  const result = await db
    .deleteFrom('leases')
    .where('name', '=', name)
    .where('owner', '=', owner)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

export async function getLease(db: Kysely<Database>, name: string): Promise<LeaseRecord | undefined> {
  const row = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : toLeaseRecord(row);
}
