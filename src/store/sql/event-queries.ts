/**
 * Events: one open row per dedup key. A repeat while open counts on that row (count, last
 * seen, latest details); resolving closes it, and the next occurrence opens a new row. The
 * partial unique index `events_open` makes the upsert safe between nodes.
 */
import type { Kysely } from 'kysely';
import type { EventRecord, NewEvent } from '../store-records.ts';
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

/** Newest first. */
export async function listEvents(db: Kysely<Database>, query: ListEventsQuery): Promise<EventPage> {
  const limit = pageLimit(query.limit, 50, 'limit');
  let select = db.selectFrom('events').selectAll();
  if (query.job !== undefined) select = select.where('job', '=', query.job);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  if (query.open === true) select = select.where('resolved_at', 'is', null);
  if (query.cursor !== undefined && query.cursor !== null) select = select.where('id', '<', query.cursor);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const events = rows.slice(0, limit).map(toEventRecord);
  return { events, nextCursor: rows.length > limit ? (events.at(-1)?.id ?? null) : null };
}
