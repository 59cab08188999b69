/**
 * Events: one open row per dedup key. A repeat while open counts on that row (count, last
 * seen, latest details); resolving closes it, and the next occurrence opens a new row. The
 * partial unique index `events_open` makes the upsert safe between nodes. `notified_at` records
 * when people were last told (alerting reads it for reminders); a repeat keeps it.
 */
import type { Kysely } from 'kysely';
import type { EventRecord, EventSeverity, NewEvent } from '../store-records.ts';
import { assertEventSeverity, assertTime, invalid, toEventRecord } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import type { EventPage, ListEventsQuery } from '../store.ts';
import { pageLimit } from './run-queries.ts';

export async function recordEvent(db: Kysely<Database>, event: NewEvent): Promise<EventRecord> {
  if (typeof event.kind !== 'string' || event.kind === '') throw invalid('kind', 'an event kind', event.kind);
  if (typeof event.dedupKey !== 'string' || event.dedupKey === '') {
    throw invalid('dedupKey', 'a dedup key', event.dedupKey);
  }
  assertEventSeverity(event.severity, 'severity');
  assertTime(event.at, 'at');
  const row = await db
    .insertInto('events')
    .values({
      kind: event.kind,
      job: event.job ?? null,
      run_id: event.runId ?? null,
      severity: event.severity,
      dedup_key: event.dedupKey,
      first_seen: event.at,
      last_seen: event.at,
      count: 1,
      resolved_at: null,
      details_json: JSON.stringify(event.details ?? null),
    })
    .onConflict((conflict) =>
      conflict
        .column('dedup_key')
        .where('resolved_at', 'is', null)
        .doUpdateSet((eb) => ({
          count: eb('events.count', '+', 1),
          last_seen: eb.ref('excluded.last_seen'),
          severity: eb.ref('excluded.severity'),
          run_id: eb.fn.coalesce('excluded.run_id', 'events.run_id'),
          details_json: eb.ref('excluded.details_json'),
        })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEventRecord(row);
}

export async function resolveEvent(db: Kysely<Database>, dedupKey: string, at: number): Promise<number> {
  assertTime(at, 'at');
  const result = await db
    .updateTable('events')
    .set({ resolved_at: at })
    .where('dedup_key', '=', dedupKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Resolves one event if it is still open (a compare-and-set on its id); false otherwise. */
export async function resolveEventById(db: Kysely<Database>, id: number, at: number): Promise<boolean> {
  assertTime(at, 'at');
  const result = await db
    .updateTable('events')
    .set({ resolved_at: at })
    .where('id', '=', id)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Newest first. */
export async function listEvents(db: Kysely<Database>, query: ListEventsQuery): Promise<EventPage> {
  const limit = pageLimit(query.limit, 50, 'limit');
  let select = db.selectFrom('events').selectAll();
  if (query.job !== undefined) select = select.where('job', '=', query.job);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  if (query.dedupKey !== undefined) select = select.where('dedup_key', '=', query.dedupKey);
  if (query.severities !== undefined) {
    query.severities.forEach((severity, index) => assertEventSeverity(severity, `severities[${index}]`));
    if (query.severities.length === 0) return { events: [], nextCursor: null };
    select = select.where('severity', 'in', query.severities);
  }
  if (query.open === true) select = select.where('resolved_at', 'is', null);
  if (query.open === false) select = select.where('resolved_at', 'is not', null);
  if (query.since !== undefined) {
    assertTime(query.since, 'since');
    select = select.where('last_seen', '>=', query.since);
  }
  if (query.until !== undefined) {
    assertTime(query.until, 'until');
    select = select.where('first_seen', '<', query.until);
  }
  if (query.cursor !== undefined && query.cursor !== null) select = select.where('id', '<', query.cursor);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const events = rows.slice(0, limit).map(toEventRecord);
  return { events, nextCursor: rows.length > limit ? (events.at(-1)?.id ?? null) : null };
}

export async function getOpenEvent(db: Kysely<Database>, dedupKey: string): Promise<EventRecord | undefined> {
  const row = await db
    .selectFrom('events')
    .selectAll()
    .where('dedup_key', '=', dedupKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : toEventRecord(row);
}

export async function getEvent(db: Kysely<Database>, id: number): Promise<EventRecord | undefined> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toEventRecord(row);
}

export async function markEventNotified(db: Kysely<Database>, id: number, at: number): Promise<boolean> {
  assertTime(at, 'at');
  const result = await db
    .updateTable('events')
    .set({ notified_at: at })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function countOpenEvents(
  db: Kysely<Database>,
): Promise<Readonly<Partial<Record<EventSeverity, number>>>> {
  const rows = await db
    .selectFrom('events')
    .select((eb) => ['severity', eb.fn.countAll().as('n')])
    .where('resolved_at', 'is', null)
    .groupBy('severity')
    .execute();
  const counts: Partial<Record<EventSeverity, number>> = {};
  for (const row of rows) {
    assertEventSeverity(row.severity, 'events.severity');
    counts[row.severity] = Number(row.n);
  }
  return counts;
}
