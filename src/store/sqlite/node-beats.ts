/**
 * The statements every node sends every second or so, on SQLite as statements prepared once on
 * the connection: the scheduler lease's take-or-renew (the leader every half second, each
 * follower every poll) and the node's heartbeat. Through the query builder each cost several
 * times the statement itself, and an idle node does little else. `postgres/node-beats.ts` is the
 * same on PostgreSQL; the store contract holds both to the same behaviour.
 */
import type { HeartbeatInput } from '../node-records.ts';
import type { HeartbeatRow } from '../store-backend.ts';
import type { AcquireLeaseInput } from '../store.ts';
import type { SqliteContext } from './sqlite-context.ts';

// Takes the lease when free, expired or held by a node that is provably gone (see Store.acquireLease).
const acquireLeaseSql = `
INSERT INTO leases (name, owner, expires_at, taken_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
  taken_at = CASE WHEN leases.owner = excluded.owner THEN leases.taken_at ELSE excluded.taken_at END
WHERE leases.owner = ?2 OR leases.expires_at <= ?4
  OR leases.owner IN (SELECT instance_id FROM nodes WHERE state = 'stopped' OR heartbeat_at + stale_ms <= ?4)
RETURNING owner`;

/** Synchronous; the caller holds the connection. Whether `owner` holds the lease now. */
export function acquireLeaseSqlite(context: SqliteContext, input: AcquireLeaseInput): boolean {
  return context.statement(acquireLeaseSql).all(input.name, input.owner, input.until, input.now).length > 0;
}

const leaderColumn = (column: string): string =>
  `(SELECT leader.${column} FROM leases JOIN nodes AS leader ON leader.instance_id = leases.owner
    WHERE leases.name = ?5 AND leases.expires_at > ?1 AND leader.state <> 'stopped'
      AND leader.heartbeat_at + leader.stale_ms > ?1)`;

const heartbeatSql = `
UPDATE nodes SET heartbeat_at = ?1, slots_in_use = ?2, config_hash = ?3
WHERE instance_id = ?4 AND state <> 'stopped'
RETURNING state, ${leaderColumn('instance_id')} AS leader_id, ${leaderColumn('name')} AS leader_name,
  ${leaderColumn('config_hash')} AS leader_hash`;

/** Synchronous; the caller holds the connection. The heartbeat's row, or undefined. */
export function heartbeatNodeSqlite(
  context: SqliteContext,
  instanceId: string,
  input: HeartbeatInput,
): HeartbeatRow | undefined {
  return context
    .statement(heartbeatSql)
    .get(input.at, input.slotsInUse, input.configHash, instanceId, input.leaderLease) as
    HeartbeatRow | undefined;
}
