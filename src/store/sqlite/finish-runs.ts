/**
 * Records the outcome of running runs on SQLite: per run a compare-and-set on
 * `status = 'running' AND lease_owner = node`, then the transition rows of those that changed in
 * one `INSERT ... SELECT`, all in one transaction.
 */
import type { FinishRunItem } from '../store-backend.ts';
import type { SqliteContext } from './sqlite-context.ts';

const finishRunSql =
  'UPDATE runs SET status = ?, status_seq = status_seq + 1, status_reason = ?, finished_at = ?, ' +
  'exit_code = ?, http_status = ?, error = ?, started_at = coalesce(?, started_at) ' +
  "WHERE id = ? AND status = 'running' AND lease_owner = ?";

/** The transitions of the runs just finished (their lease owner is the node that finished them). */
const insertFinishedSql =
  'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node) ' +
  "SELECT id, status_seq, finished_at, 'running', status, status_reason, lease_owner FROM runs " +
  'WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id';

/** Synchronous; the caller holds the connection and a transaction. */
export function finishRunsSqlite(context: SqliteContext, items: readonly FinishRunItem[]): boolean[] {
  const finishRun = context.statement(finishRunSql);
  const insertFinished = context.statement(insertFinishedSql);
  const finished: number[] = [];
  const results = items.map((item) => {
    const { changes } = finishRun.run(
      item.status,
      item.reason,
      item.finishedAt,
      item.exitCode,
      item.httpStatus,
      item.error,
      item.startedAt,
      item.runId,
      item.node,
    );
    if (changes === 0) return false;
    finished.push(item.runId);
    return true;
  });
  if (finished.length > 0) insertFinished.run(JSON.stringify(finished));
  return results;
}
