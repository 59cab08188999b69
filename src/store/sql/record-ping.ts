/**
 * A ping from an external monitor, stored and applied in one transaction: the monitor's row is
 * touched first (on PostgreSQL that locks it, so pings to one monitor apply one after another),
 * an end ping is paired with its start to measure the run, the ping is appended, and the
 * monitor's status and times move. A paused monitor's pings are stored and its times move, but a
 * failure does not take it down (a success still brings it up).
 */
import type { Kysely, Transaction } from 'kysely';
import type { MonitorStatus, NewPing, RecordPingResult } from '../monitor-records.ts';
import { MonitorStatus as MonitorStatuses, PingKind } from '../monitor-records.ts';
import { assertTime, invalid, toMonitorRecord, toPingRecord } from '../row-mapping.ts';
import type { Database } from '../schema.ts';

const int32 = 2 ** 31;

/** Ping kinds a caller may send (`ignored` is the store's to write). */
const sentKinds: readonly string[] = [PingKind.start, PingKind.success, PingKind.fail, PingKind.exit];

/** Undefined for an unknown or removed ping id: nothing is stored. */
export async function recordPing(db: Kysely<Database>, ping: NewPing): Promise<RecordPingResult | undefined> {
  checkPing(ping);
  const exitCode = ping.exitCode ?? null;
  const runKey = ping.runKey ?? null;
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .updateTable('monitors')
      .set({ last_ping_at: ping.at })
      .where('ping_id', '=', ping.pingId)
      .where('removed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (before === undefined) return undefined;
    const previous = toMonitorRecord(before);
    const outcome = outcomeOf(ping.kind, exitCode);
    const start = outcome === undefined ? undefined : await pairedStart(trx, previous.name, runKey);
    const inserted = await trx
      .insertInto('monitor_pings')
      .values({
        monitor: previous.name,
        kind: ping.kind,
        at: ping.at,
        exit_code: exitCode,
        run_key: runKey,
        // A start stamped after its end (clocks of two nodes) is a run of no measurable length.
        duration_ms: start === undefined ? null : Math.max(0, ping.at - start.at),
        body: ping.body ?? null,
        body_truncated: ping.bodyTruncated ?? false,
        source: ping.source ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();

    let lastStartAt = previous.lastStartAt;
    if (outcome === undefined) lastStartAt = ping.at;
    // An end closes the open start, unless it paired (by run key) with a start older than it:
    // that start's run ended, a later one is still going.
    else if (start === undefined || lastStartAt === null || start.at >= lastStartAt) lastStartAt = null;
    // Nothing takes a paused monitor down: a failure during maintenance is recorded, not acted on.
    const status =
      outcome === undefined || (previous.paused && outcome === MonitorStatuses.down)
        ? previous.status
        : outcome;
    const after = await trx
      .updateTable('monitors')
      .set({
        status,
        last_start_at: lastStartAt,
        ...(outcome === MonitorStatuses.up ? { last_success_at: ping.at } : {}),
        ...(outcome === MonitorStatuses.down ? { last_failure_at: ping.at } : {}),
        ...(status === previous.status ? {} : { status_changed_at: ping.at }),
      })
      .where('name', '=', previous.name)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ping: toPingRecord(inserted), monitor: toMonitorRecord(after), previousStatus: previous.status };
  });
}

/** The status an end ping brings (undefined for a start). */
function outcomeOf(kind: NewPing['kind'], exitCode: number | null): MonitorStatus | undefined {
  switch (kind) {
    case 'start':
      return undefined;
    case 'success':
      return MonitorStatuses.up;
    case 'fail':
      return MonitorStatuses.down;
    case 'exit':
      return exitCode === 0 ? MonitorStatuses.up : MonitorStatuses.down;
  }
}

/**
 * The start an end ping closes: with a run key, the latest start with that key; without, the
 * latest start since the previous end (the monitor's latest ping, when it is a start).
 */
async function pairedStart(
  trx: Transaction<Database>,
  monitor: string,
  runKey: string | null,
): Promise<{ readonly at: number } | undefined> {
  if (runKey !== null) {
    return trx
      .selectFrom('monitor_pings')
      .select('at')
      .where('monitor', '=', monitor)
      .where('run_key', '=', runKey)
      .where('kind', '=', PingKind.start)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  const latest = await trx
    .selectFrom('monitor_pings')
    .select(['kind', 'at'])
    .where('monitor', '=', monitor)
    .where('kind', '<>', PingKind.ignored)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest?.kind === PingKind.start ? latest : undefined;
}

/** Throws `store.input` naming the field of a ping that cannot be stored. */
function checkPing(ping: NewPing): void {
  if (typeof ping.pingId !== 'string' || ping.pingId === '')
    throw invalid('pingId', 'a ping id', ping.pingId);
  if (!sentKinds.includes(ping.kind)) throw invalid('kind', `one of ${sentKinds.join(', ')}`, ping.kind);
  assertTime(ping.at, 'at');
  const exitCode = ping.exitCode ?? null;
  if (ping.kind === PingKind.exit) {
    if (!Number.isSafeInteger(exitCode) || (exitCode as number) < -int32 || (exitCode as number) >= int32) {
      throw invalid('exitCode', 'an integer exit code (with kind exit)', ping.exitCode);
    }
  } else if (exitCode !== null) {
    throw invalid('exitCode', 'no exit code (only kind exit has one)', exitCode);
  }
  const runKey = ping.runKey ?? null;
  if (runKey !== null && (typeof runKey !== 'string' || runKey === '')) {
    throw invalid('runKey', 'a non-empty run key or none', runKey);
  }
  if (ping.body !== undefined && ping.body !== null && typeof ping.body !== 'string') {
    throw invalid('body', 'text or none', ping.body);
  }
  if (ping.bodyTruncated !== undefined && typeof ping.bodyTruncated !== 'boolean') {
    throw invalid('bodyTruncated', 'a boolean', ping.bodyTruncated);
  }
  if (ping.source !== undefined && ping.source !== null && typeof ping.source !== 'string') {
    throw invalid('source', 'text or none', ping.source);
  }
}
