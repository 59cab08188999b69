/**
 * Status changes off the hot path (a transition asked for by the API, cancellation, lease
 * expiry, the release of held queue items), in SQL both dialects share. Each is a
 * compare-and-set on the current status that appends a transition row per run, in one
 * transaction.
 */
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { RunRecord } from '../run-record.ts';
import { toRunRecord } from '../row-mapping.ts';
import { assertTransition, isTerminalRunStatus } from '../run-status.ts';
import type { RunStatus } from '../run-status.ts';
import type { Database, RunRow } from '../schema.ts';
import type { ReleaseRunsInput } from '../api-records.ts';
import type { CancelRunInput, TransitionRunInput } from '../store.ts';

interface StatusChange {
  readonly to: RunStatus;
  readonly at: number;
  readonly node: string | null;
  readonly reason: string | null;
  readonly error?: string | null;
  /** A new earliest start (a released queue item is due from its release). */
  readonly runAfter?: number;
}

type RunFilter =
  { readonly runId: number } | { readonly runIds: readonly number[] } | { readonly leaseExpiredBy: number };

const transitionChunk = 500;

async function changeStatus(
  trx: Transaction<Database>,
  from: RunStatus,
  change: StatusChange,
  filter: RunFilter,
): Promise<RunRow[]> {
  let update = trx
    .updateTable('runs')
    .set({
      status: change.to,
      status_seq: sql<number>`status_seq + 1`,
      status_reason: change.reason,
    })
    .where('status', '=', from);
  if (isTerminalRunStatus(change.to)) update = update.set({ finished_at: change.at });
  if (change.to === 'running') update = update.set({ started_at: change.at, node: change.node });
  if (change.error !== undefined) update = update.set({ error: change.error });
  if (change.runAfter !== undefined) update = update.set({ run_after: change.runAfter });
  if ('runId' in filter) update = update.where('id', '=', filter.runId);
  else if ('runIds' in filter) update = update.where('id', 'in', [...filter.runIds]);
  else {
    update = update
      .where('lease_expires_at', '<=', filter.leaseExpiredBy)
      // Literal, as in the partial index runs_active, so both planners walk only active runs.
      .where(sql<boolean>`status IN ('pending', 'running')`);
  }
  const rows = (await update.returningAll().execute()) as RunRow[];
  for (let start = 0; start < rows.length; start += transitionChunk) {
    await trx
      .insertInto('run_transitions')
      .values(
        rows.slice(start, start + transitionChunk).map((row) => ({
          run_id: row.id,
          seq: row.status_seq,
          at: change.at,
          from_status: from,
          to_status: change.to,
          reason: change.reason,
          node: change.node,
        })),
      )
      .execute();
  }
  return rows;
}

/** Compare-and-set of one run's status; throws `store.transition` if `to` may not follow `from`. */
export async function transitionRun(
  db: Kysely<Database>,
  runId: number,
  input: TransitionRunInput,
): Promise<boolean> {
  assertTransition(input.from, input.to);
  const rows = await db.transaction().execute((trx) =>
    changeStatus(
      trx,
      input.from,
      {
        to: input.to,
        at: input.at,
        node: input.node ?? null,
        reason: input.reason ?? null,
        ...(input.error === undefined ? {} : { error: input.error }),
      },
      { runId },
    ),
  );
  return rows.length === 1;
}

/**
 * Cancels a held, pending or running run (a running run's node sees its lease renewal fail and
 * stops it).
 */
export async function cancelRun(
  db: Kysely<Database>,
  runId: number,
  input: CancelRunInput,
): Promise<boolean> {
  const change = {
    to: 'cancelled',
    at: input.at,
    node: input.node ?? null,
    reason: input.reason ?? null,
  } as const;
  return db.transaction().execute(async (trx) => {
    for (const from of ['held', 'pending', 'running'] as const) {
      if ((await changeStatus(trx, from, change, { runId })).length === 1) return true;
    }
    return false;
  });
}

/**
 * Releases held runs (queue items): `held → pending`, due at `input.at`, a transition row each,
 * in one transaction per chunk. A compare-and-set on the status: a run released by another
 * node first, or cancelled, is left out of the ids returned (ascending).
 */
export async function releaseHeldRuns(
  db: Kysely<Database>,
  runIds: readonly number[],
  input: ReleaseRunsInput,
): Promise<number[]> {
  const released: number[] = [];
  for (let start = 0; start < runIds.length; start += transitionChunk) {
    const chunk = runIds.slice(start, start + transitionChunk);
    released.push(...(await db.transaction().execute((trx) => releaseHeldRunsIn(trx, chunk, input))));
  }
  return released.sort((a, b) => a - b);
}

/** `releaseHeldRuns` inside a transaction the caller holds (a cooldown's locked release), all in it. */
export async function releaseHeldRunsIn(
  trx: Transaction<Database>,
  runIds: readonly number[],
  input: ReleaseRunsInput,
): Promise<number[]> {
  const released: number[] = [];
  for (let start = 0; start < runIds.length; start += transitionChunk) {
    const rows = await changeStatus(
      trx,
      'held',
      {
        to: 'pending',
        at: input.at,
        node: input.node ?? null,
        reason: input.reason ?? 'released from the queue',
        runAfter: input.at,
      },
      { runIds: runIds.slice(start, start + transitionChunk) },
    );
    released.push(...rows.map((row) => row.id));
  }
  return released.sort((a, b) => a - b);
}

/** Running runs whose lease ended by `now` become `lost`, oldest id first. */
export async function expireLeases(
  db: Kysely<Database>,
  now: number,
  node: string | null,
): Promise<RunRecord[]> {
  const rows = await db
    .transaction()
    .execute((trx) =>
      changeStatus(
        trx,
        'running',
        { to: 'lost', at: now, node, reason: 'lease expired' },
        { leaseExpiredBy: now },
      ),
    );
  return rows.map(toRunRecord).sort((a, b) => a.id - b.id);
}
