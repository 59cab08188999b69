/**
 * Queues runs on SQLite: one prepared insert per run inside one transaction (node:sqlite runs
 * it synchronously, so a batch costs a few microseconds per run), then the batch's creating
 * transitions in one `INSERT ... SELECT` (one statement, and one update of the AUTOINCREMENT
 * counter, for the batch). A fire key already recorded
 * is skipped by `ON CONFLICT DO NOTHING` and counted as a duplicate. Records are built from
 * the values inserted rather than read back (`RETURNING *` would triple the cost).
 */
import type { RunRecord } from '../run-record.ts';
import { insertedRunRecord, runInsertColumns } from '../row-mapping.ts';
import type { PreparedRun } from '../store-backend.ts';
import type { InsertRunsResult } from '../store.ts';
import type { SqliteContext } from './sqlite-context.ts';

const insertRunSql =
  `INSERT INTO runs (${runInsertColumns.map((column) => `"${column}"`).join(', ')}) ` +
  `VALUES (${runInsertColumns.map(() => '?').join(', ')}) ON CONFLICT (fire_key) DO NOTHING`;

/** The creating transitions of the runs just inserted, one statement for the batch. */
const insertCreatedSql =
  'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node) ' +
  'SELECT id, 1, queued_at, NULL, status, status_reason, NULL FROM runs ' +
  'WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id';

/** Synchronous; the caller holds the connection and a transaction. */
export function insertRunsSqlite(context: SqliteContext, runs: readonly PreparedRun[]): InsertRunsResult {
  const insertRun = context.statement(insertRunSql);
  const insertCreated = context.statement(insertCreatedSql);
  const inserted: RunRecord[] = [];
  const ids: number[] = [];
  for (const { run, values } of runs) {
    const result = insertRun.run(
      values[0],
      values[1],
      values[2],
      values[3],
      values[4],
      values[5],
      values[6],
      values[7],
      values[8],
      values[9],
      values[10],
      values[11],
      values[12],
      values[13] ? 1 : 0,
      values[14],
      values[15],
      values[16],
      values[17],
      values[18],
      values[19],
      values[20],
    );
    if (result.changes === 0) continue;
    const id = Number(result.lastInsertRowid);
    ids.push(id);
    inserted.push(insertedRunRecord(id, values, run));
  }
  if (ids.length > 0) insertCreated.run(JSON.stringify(ids));
  return { inserted, duplicates: runs.length - inserted.length };
}
