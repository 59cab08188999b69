/**
 * External monitors mirror the job file's `monitors`: `syncMonitors` adds new names with a fresh
 * unguessable ping id, brings back removed ones with the id they had (their senders keep
 * working), and marks the ones that left as removed (their pings stay as history). A monitor's
 * status is a stored union moved by pings (`record-ping.ts`) and by watchers through a
 * compare-and-set; pausing is a flag beside it, set by a compare-and-set too, that keeps
 * watchers (and failure pings) from taking the monitor down.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type {
  ListPingsQuery,
  MonitorRecord,
  PingPage,
  SetMonitorPausedResult,
  SyncMonitorsResult,
} from '../monitor-records.ts';
import { isMonitorStatus, MonitorStatus } from '../monitor-records.ts';
import { assertTime, invalid, toMonitorRecord, toPingRecord } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import { pageLimit } from './run-queries.ts';

const writeChunk = 500;

/** A new ping id: 16 random bytes as 32 hex characters. */
export function newPingId(): string {
  return randomBytes(16).toString('hex');
}

export async function syncMonitors(
  db: Kysely<Database>,
  names: readonly string[],
  at: number,
): Promise<SyncMonitorsResult> {
  assertTime(at, 'at');
  const wanted = new Set<string>();
  names.forEach((name, index) => {
    if (typeof name !== 'string' || name === '') throw invalid(`names[${index}]`, 'a monitor name', name);
    if (wanted.has(name)) throw invalid(`names[${index}]`, 'a name used once', name);
    wanted.add(name);
  });
  return db.transaction().execute(async (trx) => {
    const existing = new Map(
      (await trx.selectFrom('monitors').select(['name', 'removed_at']).execute()).map((row) => [
        row.name,
        row.removed_at,
      ]),
    );
    const added: string[] = [];
    const returning: string[] = [];
    const removed: string[] = [];
    for (const name of wanted) {
      if (!existing.has(name)) added.push(name);
      else if (existing.get(name) !== null) returning.push(name);
    }
    for (const [name, removedAt] of existing) {
      if (removedAt === null && !wanted.has(name)) removed.push(name);
    }
    for (let start = 0; start < added.length; start += writeChunk) {
      await trx
        .insertInto('monitors')
        .values(
          added.slice(start, start + writeChunk).map((name) => ({
            name,
            ping_id: newPingId(),
            status: MonitorStatus.new,
            status_changed_at: at,
            created_at: at,
            removed_at: null,
            paused: false,
            paused_at: null,
            resumed_at: null,
          })),
        )
        // A node syncing at the same moment added it first: its ping id stands.
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
    }
    for (let start = 0; start < returning.length; start += writeChunk) {
      await trx
        .updateTable('monitors')
        .set({ removed_at: null })
        .where('name', 'in', returning.slice(start, start + writeChunk))
        .execute();
    }
    for (let start = 0; start < removed.length; start += writeChunk) {
      await trx
        .updateTable('monitors')
        .set({ removed_at: at })
        .where('name', 'in', removed.slice(start, start + writeChunk))
        .where('removed_at', 'is', null)
        .execute();
    }
    const monitors = (
      await trx.selectFrom('monitors').selectAll().where('removed_at', 'is', null).orderBy('name').execute()
    ).map(toMonitorRecord);
    return { added: [...added, ...returning], removed, monitors };
  });
}

export async function getMonitor(db: Kysely<Database>, name: string): Promise<MonitorRecord | undefined> {
  const row = await db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : toMonitorRecord(row);
}

export async function getMonitorByPingId(
  db: Kysely<Database>,
  pingId: string,
): Promise<MonitorRecord | undefined> {
  if (typeof pingId !== 'string') throw invalid('pingId', 'a ping id', pingId);
  const row = await db.selectFrom('monitors').selectAll().where('ping_id', '=', pingId).executeTakeFirst();
  return row === undefined ? undefined : toMonitorRecord(row);
}

export async function listMonitors(db: Kysely<Database>, includeRemoved: boolean): Promise<MonitorRecord[]> {
  let select = db.selectFrom('monitors').selectAll();
  if (!includeRemoved) select = select.where('removed_at', 'is', null);
  return (await select.orderBy('name').execute()).map(toMonitorRecord);
}

/**
 * Moves a monitor that is not removed from `from` to `to` (compare-and-set on its status);
 * false when it was not in `from`, is paused, is removed, or does not exist. Checking `paused` in
 * the same statement means a pause made by another node a moment after this one read the
 * monitor still wins: a paused monitor is never taken down.
 */
export async function setMonitorStatus(
  db: Kysely<Database>,
  name: string,
  from: MonitorStatus,
  to: MonitorStatus,
  at: number,
): Promise<boolean> {
  const statuses = Object.keys(MonitorStatus).join(', ');
  if (!isMonitorStatus(from)) throw invalid('from', `one of ${statuses}`, from);
  if (!isMonitorStatus(to)) throw invalid('to', `one of ${statuses}`, to);
  if (from === to) throw invalid('to', `a status other than from (${from})`, to);
  assertTime(at, 'at');
  const result = await db
    .updateTable('monitors')
    .set({ status: to, status_changed_at: at })
    .where('name', '=', name)
    .where('status', '=', from)
    .where('paused', '=', false)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Pauses or resumes a monitor that is not removed, by a compare-and-set on the flag: pausing sets
 * `paused_at`; resuming clears it and sets `resumed_at` (the monitor's lateness counts from
 * then). Of two callers asking the same at once exactly one gets `changed`; asking for the state
 * it is in writes nothing. Undefined for an unknown or removed monitor. The status is left as it
 * is: a monitor paused while down stays down (its open event too) until a success ping.
 */
export async function setMonitorPaused(
  db: Kysely<Database>,
  name: string,
  paused: boolean,
  at: number,
): Promise<SetMonitorPausedResult | undefined> {
  if (typeof name !== 'string' || name === '') throw invalid('name', 'a monitor name', name);
  if (typeof paused !== 'boolean') throw invalid('paused', 'true or false', paused);
  assertTime(at, 'at');
  const changed = await db
    .updateTable('monitors')
    .set(paused ? { paused: true, paused_at: at } : { paused: false, paused_at: null, resumed_at: at })
    .where('name', '=', name)
    .where('paused', '=', !paused)
    .where('removed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (changed !== undefined) return { monitor: toMonitorRecord(changed), changed: true };
  const row = await db
    .selectFrom('monitors')
    .selectAll()
    .where('name', '=', name)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { monitor: toMonitorRecord(row), changed: false };
}

/** A monitor's pings, newest first. */
export async function listPings(db: Kysely<Database>, query: ListPingsQuery): Promise<PingPage> {
  if (typeof query.monitor !== 'string' || query.monitor === '') {
    throw invalid('monitor', 'a monitor name', query.monitor);
  }
  const limit = pageLimit(query.limit, 50, 'limit');
  let select = db.selectFrom('monitor_pings').selectAll().where('monitor', '=', query.monitor);
  if (query.cursor !== undefined && query.cursor !== null) select = select.where('id', '<', query.cursor);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const pings = rows.slice(0, limit).map(toPingRecord);
  return { pings, nextCursor: rows.length > limit ? (pings.at(-1)?.id ?? null) : null };
}
