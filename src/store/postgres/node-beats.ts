/**
 * The statements every node sends every second or so, sent on PostgreSQL as named (prepared once
 * per connection) statements straight through the pool: the scheduler lease's take-or-renew (the
 * leader every half second, each follower every poll) and the node's heartbeat. Through the
 * query builder each cost several times the Node CPU of the statement itself, and an idle node
 * does little else. `sqlite/node-beats.ts` is the same on SQLite; the store contract holds both
 * to the same behaviour (the checks of the inputs are `sql/schedule-queries.ts`'s and
 * `sql/node-queries.ts`'s).
 */
import type pg from 'pg';
import type { AcquireLeaseInput } from '../store.ts';
import type { HeartbeatInput } from '../node-records.ts';
import type { HeartbeatRow } from '../store-backend.ts';

const acquireLeaseSql = `
INSERT INTO leases (name, owner, expires_at, taken_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
  taken_at = CASE WHEN leases.owner = excluded.owner THEN leases.taken_at ELSE excluded.taken_at END
WHERE leases.owner = $2 OR leases.expires_at <= $4
  OR leases.owner IN (SELECT instance_id FROM nodes WHERE state = 'stopped' OR heartbeat_at + stale_ms <= $4)
RETURNING owner`;

/** `Store.acquireLease` (inputs checked by the caller): whether `owner` holds the lease now. */
export async function acquireLeasePostgres(pool: pg.Pool, input: AcquireLeaseInput): Promise<boolean> {
  const result = await pool.query({
    name: 'cronplane_acquire_lease_v1',
    text: acquireLeaseSql,
    values: [input.name, input.owner, input.until, input.now],
  });
  return result.rows.length > 0;
}

const heartbeatSql = `
WITH leader AS (
  -- The statement reads the rows as they were before its update: the leader's own heartbeat
  -- answers the hash it brings (an edited file it reloaded), not the one it had.
  SELECT holder.instance_id, holder.name,
    CASE WHEN holder.instance_id = $4 THEN $3::text ELSE holder.config_hash END AS config_hash
  FROM leases
  JOIN nodes holder ON holder.instance_id = leases.owner
  WHERE leases.name = $5 AND leases.expires_at > $1 AND holder.state <> 'stopped'
    AND holder.heartbeat_at + holder.stale_ms > $1
)
UPDATE nodes SET heartbeat_at = $1, slots_in_use = $2, config_hash = $3
WHERE instance_id = $4 AND state <> 'stopped'
RETURNING state, (SELECT instance_id FROM leader) AS leader_id, (SELECT name FROM leader) AS leader_name,
  (SELECT config_hash FROM leader) AS leader_hash`;

/** `Store.heartbeatNode`'s statement (inputs checked by the caller): the row, or undefined. */
export async function heartbeatNodePostgres(
  pool: pg.Pool,
  instanceId: string,
  input: HeartbeatInput,
): Promise<HeartbeatRow | undefined> {
  const result = await pool.query<HeartbeatRow>({
    name: 'cronplane_heartbeat_node_v2',
    text: heartbeatSql,
    values: [input.at, input.slotsInUse, input.configHash, instanceId, input.leaderLease],
  });
  return result.rows[0];
}
