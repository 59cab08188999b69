/**
 * What a running run writes on PostgreSQL besides its outcome: lease renewals and output
 * chunks. A chunk takes the run's next log sequence number (the row lock orders concurrent
 * appends) and adds its bytes to the run's count, in one statement.
 */
import type pg from 'pg';
import type { AppendLogInput, AppendLogResult } from '../store.ts';
import { retryOnDeadlock } from './retry-on-deadlock.ts';

// The status as a sub-select: looked up by primary key, not by walking runs_active.
const renewLeasesSql =
  'UPDATE runs SET lease_expires_at = $1 WHERE id = ANY($2::bigint[]) ' +
  "AND status = (SELECT 'running'::text) AND lease_owner = $3 RETURNING id";

const appendLogSql = `
WITH bumped AS (
  UPDATE runs SET log_seq = log_seq + 1, log_bytes = log_bytes + $2, log_truncated = log_truncated OR $3
  WHERE id = $1 RETURNING id, log_seq, log_bytes
), inserted AS (
  INSERT INTO run_logs (run_id, seq, at, stream, chunk) SELECT id, log_seq, $4, $5, $6 FROM bumped
)
SELECT log_seq, log_bytes FROM bumped`;

/** Returns the ids still held, ascending. */
export async function renewLeasesPostgres(
  pool: pg.Pool,
  node: string,
  runIds: readonly number[],
  until: number,
): Promise<number[]> {
  // Its locks may cross a batched finish's (see retry-on-deadlock.ts).
  const result = await retryOnDeadlock(() =>
    pool.query<{ id: number }>({
      name: 'cronplane_renew_leases_v2',
      text: renewLeasesSql,
      values: [until, runIds, node],
    }),
  );
  return result.rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Undefined when no such run. */
export async function appendLogPostgres(
  pool: pg.Pool,
  runId: number,
  input: AppendLogInput,
): Promise<AppendLogResult | undefined> {
  const result = await pool.query<{ log_seq: number; log_bytes: number }>({
    name: 'cronplane_append_log',
    text: appendLogSql,
    values: [
      runId,
      Buffer.byteLength(input.chunk, 'utf8'),
      input.truncated === true,
      input.at,
      input.stream,
      input.chunk,
    ],
  });
  const row = result.rows[0];
  return row === undefined ? undefined : { seq: row.log_seq, logBytes: row.log_bytes };
}
