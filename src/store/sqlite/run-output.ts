/**
 * What a running run writes on SQLite besides its outcome: lease renewals and output chunks.
 * A chunk takes the run's next log sequence number and adds its bytes to the run's count.
 */
import type { AppendLogInput, AppendLogResult } from '../store.ts';
import type { SqliteContext } from './sqlite-context.ts';

const renewLeasesSql =
  'UPDATE runs SET lease_expires_at = ? WHERE id IN (SELECT value FROM json_each(?)) ' +
  "AND status = 'running' AND lease_owner = ? RETURNING id";

const bumpLogSql =
  'UPDATE runs SET log_seq = log_seq + 1, log_bytes = log_bytes + ?, log_truncated = max(log_truncated, ?) ' +
  'WHERE id = ? RETURNING log_seq, log_bytes';

const insertLogSql = 'INSERT INTO run_logs (run_id, seq, at, stream, chunk) VALUES (?, ?, ?, ?, ?)';

/** Synchronous; one statement, no transaction needed. Returns the ids still held, ascending. */
export function renewLeasesSqlite(
  context: SqliteContext,
  node: string,
  runIds: readonly number[],
  until: number,
): number[] {
  const rows = context.statement(renewLeasesSql).all(until, JSON.stringify(runIds), node) as { id: number }[];
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Synchronous; the caller holds the connection and a transaction. Undefined when no such run. */
export function appendLogSqlite(
  context: SqliteContext,
  runId: number,
  input: AppendLogInput,
): AppendLogResult | undefined {
  const bytes = Buffer.byteLength(input.chunk, 'utf8');
  const bump = context.statement(bumpLogSql);
  bump.setReturnArrays(true);
  const row = bump.get(bytes, input.truncated === true ? 1 : 0, runId) as unknown as
    [number, number] | undefined;
  if (row === undefined) return undefined;
  const [seq, logBytes] = row;
  context.statement(insertLogSql).run(runId, seq, input.at, input.stream, input.chunk);
  return { seq, logBytes };
}
