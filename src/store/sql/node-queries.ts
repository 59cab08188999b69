/**
 * Node identity in SQL both dialects share: registering a process (refused while a live process
 * has the name), its heartbeat (one UPDATE that also answers its state and the live leader),
 * drain and stop as compare-and-sets, and the listing for `cronplane nodes`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type {
  DrainNodeResult,
  HeartbeatInput,
  HeartbeatResult,
  NewNode,
  NodeRecord,
  RegisterNodeResult,
} from '../node-records.ts';
import { assertNodeState, isNodeRole } from '../node-state.ts';
import { assertTime, invalid } from '../row-mapping.ts';
import type { NodesTable } from '../schema.ts';

/** Stopped nodes are kept this long (the nodes view shows them; a lease may still name one). */
export const stoppedNodeKeepMs = 7 * 24 * 3600_000;

/**
 * Marks the live rows of `name` whose heartbeat is older than their own `stale_ms` stopped, then
 * inserts the new process. The partial unique index on live names makes the insert the
 * compare-and-set: of two processes racing with one name, one row goes in.
 */
export async function registerNode(db: Kysely<Database>, node: NewNode): Promise<RegisterNodeResult> {
  checkNewNode(node);
  const at = node.startedAt;
  await db
    .updateTable('nodes')
    .set({ state: 'stopped', state_changed_at: at, state_reason: 'its heartbeat stopped' })
    .where('name', '=', node.name)
    .where('state', '<>', 'stopped')
    .where((eb) => eb(eb('heartbeat_at', '+', eb.ref('stale_ms')), '<=', at))
    .execute();
  await db
    .deleteFrom('nodes')
    .where('state', '=', 'stopped')
    .where('heartbeat_at', '<', at - stoppedNodeKeepMs)
    .execute();
  const row = await db
    .insertInto('nodes')
    .values({
      instance_id: node.instanceId,
      name: node.name,
      host: node.host,
      process_scope: node.processScope,
      pid: node.pid,
      version: node.version,
      started_at: at,
      heartbeat_at: at,
      stale_ms: node.staleMs,
      config_hash: node.configHash,
      tags_json: JSON.stringify(node.tags),
      slots: node.slots,
      slots_in_use: 0,
      role: node.role,
      state: 'running',
      state_changed_at: at,
      state_reason: null,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined) return { registered: true, node: toNodeRecord(row) };
  const holder = await liveNode(db, node.name);
  // The holder stopped between the insert and this read: the caller may simply try again.
  if (holder === undefined) return registerNode(db, node);
  return { registered: false, holder };
}

/**
 * The checks of `Store.heartbeatNode`'s input. The statement (`node-beats.ts` of each dialect) is
 * one UPDATE: the heartbeat, slots in use and job-file hash of a node that is not stopped,
 * answering its state and the live holder of `leaderLease` (unexpired, its node not stopped and
 * heard from within its `stale_ms`); no row when the node is stopped or unknown.
 */
export function checkHeartbeat(input: HeartbeatInput): void {
  assertTime(input.at, 'at');
  if (!Number.isSafeInteger(input.slotsInUse) || input.slotsInUse < 0)
    throw invalid('slotsInUse', 'an integer >= 0', input.slotsInUse);
}

/** A heartbeat's returned row: the node's state and the live leader, if any. */
export function toHeartbeatResult(
  instanceId: string,
  row: {
    readonly state: string;
    readonly leader_id: string | null;
    readonly leader_name: string | null;
    readonly leader_hash: string | null;
  },
): HeartbeatResult {
  const state = assertNodeState(row.state, `nodes[${instanceId}].state`);
  return {
    state,
    leader:
      row.leader_id === null || row.leader_name === null || row.leader_hash === null
        ? null
        : { instanceId: row.leader_id, name: row.leader_name, configHash: row.leader_hash },
  };
}

/** `running → draining` for the live node of `name`; undefined when no live node has it. */
export async function drainNode(
  db: Kysely<Database>,
  name: string,
  at: number,
  reason: string,
): Promise<DrainNodeResult | undefined> {
  assertTime(at, 'at');
  const row = await db
    .updateTable('nodes')
    .set({ state: 'draining', state_changed_at: at, state_reason: reason })
    .where('name', '=', name)
    .where('state', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined) return { node: toNodeRecord(row), changed: true };
  const live = await liveNode(db, name);
  return live === undefined ? undefined : { node: live, changed: false };
}

/** `running | draining → stopped` (a clean stop, or a process found gone); false when it was stopped. */
export async function stopNode(
  db: Kysely<Database>,
  instanceId: string,
  at: number,
  reason: string,
): Promise<boolean> {
  assertTime(at, 'at');
  const result = await db
    .updateTable('nodes')
    .set({ state: 'stopped', state_changed_at: at, state_reason: reason })
    .where('instance_id', '=', instanceId)
    .where('state', '<>', 'stopped')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Nodes not stopped, and stopped ones heard from since `stoppedSince` (all when absent); by name. */
export async function listNodes(
  db: Kysely<Database>,
  stoppedSince: number | undefined,
): Promise<NodeRecord[]> {
  let query = db.selectFrom('nodes').selectAll();
  if (stoppedSince !== undefined) {
    assertTime(stoppedSince, 'stoppedSince');
    query = query.where((eb) =>
      eb.or([eb('state', '<>', 'stopped'), eb('heartbeat_at', '>=', stoppedSince)]),
    );
  }
  const rows = await query.orderBy('name').orderBy('started_at', 'desc').execute();
  return rows.map(toNodeRecord);
}

async function liveNode(db: Kysely<Database>, name: string): Promise<NodeRecord | undefined> {
  const row = await db
    .selectFrom('nodes')
    .selectAll()
    .where('name', '=', name)
    .where('state', '<>', 'stopped')
    .executeTakeFirst();
  return row === undefined ? undefined : toNodeRecord(row);
}

function checkNewNode(node: NewNode): void {
  for (const key of ['instanceId', 'name', 'host', 'processScope', 'version', 'configHash'] as const) {
    if (typeof node[key] !== 'string' || node[key] === '')
      throw invalid(key, 'a non-empty string', node[key]);
  }
  assertTime(node.startedAt, 'startedAt');
  for (const key of ['pid', 'staleMs', 'slots'] as const) {
    if (!Number.isSafeInteger(node[key]) || node[key] < 0) throw invalid(key, 'an integer >= 0', node[key]);
  }
  if (node.staleMs < 1) throw invalid('staleMs', 'a positive integer', node.staleMs);
  if (!isNodeRole(node.role)) throw invalid('role', 'all, scheduler or worker', node.role);
  if (!Array.isArray(node.tags) || node.tags.some((tag) => typeof tag !== 'string'))
    throw invalid('tags', 'a list of strings', node.tags);
}

export function toNodeRecord(row: NodesTable): NodeRecord {
  const role = row.role;
  if (!isNodeRole(role)) throw invalid(`nodes[${row.instance_id}].role`, 'a node role', role);
  return {
    instanceId: row.instance_id,
    name: row.name,
    host: row.host,
    processScope: row.process_scope,
    pid: row.pid,
    version: row.version,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    staleMs: row.stale_ms,
    configHash: row.config_hash,
    tags: JSON.parse(row.tags_json) as string[],
    slots: row.slots,
    slotsInUse: row.slots_in_use,
    role,
    state: assertNodeState(row.state, `nodes[${row.instance_id}].state`),
    stateChangedAt: row.state_changed_at,
    stateReason: row.state_reason,
  };
}
