/**
 * Queues runs on SQLite: one prepared insert per run inside one transaction (node:sqlite runs
 * it synchronously, so a batch costs a few microseconds per run). A fire key already recorded
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

const insertCreatedSql =
  'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node) ' +
  'VALUES (?, 1, ?, NULL, ?, ?, NULL)';

/** Synchronous; the caller holds the connection and a transaction. */
export function insertRunsSqlite(context: SqliteContext, runs: readonly PreparedRun[]): InsertRunsResult {
  const insertRun = context.statement(insertRunSql);
  const insertCreated = context.statement(insertCreatedSql);
  const inserted: RunRecord[] = [];
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
    );
    if (result.changes === 0) continue;
    const id = Number(result.lastInsertRowid);
    insertCreated.run(id, values[10], values[15], values[16]);
    inserted.push(insertedRunRecord(id, values, run));
  }
  return { inserted, duplicates: runs.length - inserted.length };
}
