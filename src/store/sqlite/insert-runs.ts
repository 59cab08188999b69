/**
 * Queues runs on SQLite: one prepared insert per run inside one transaction (node:sqlite runs
 * it synchronously, so a batch of thousands costs microseconds per run). A fire key already
 * recorded is skipped by `ON CONFLICT DO NOTHING` and counted as a duplicate.
 */
import type { RunInsertValues } from '../row-mapping.ts';
import { runInsertColumns, toRunRecord } from '../row-mapping.ts';
import type { RunRow } from '../schema.ts';
import type { InsertRunsResult } from '../store.ts';
import type { SqliteContext } from './sqlite-context.ts';

const insertRunSql =
  `INSERT INTO runs (${runInsertColumns.map((column) => `"${column}"`).join(', ')}) ` +
  `VALUES (${runInsertColumns.map(() => '?').join(', ')}) ` +
  `ON CONFLICT (fire_key) DO NOTHING RETURNING *`;

const insertCreatedSql =
  'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node) ' +
  'VALUES (?, 1, ?, NULL, ?, ?, NULL)';

/** Synchronous; the caller holds the connection and a transaction. */
export function insertRunsSqlite(context: SqliteContext, rows: readonly RunInsertValues[]): InsertRunsResult {
  const insertRun = context.statement(insertRunSql);
  const insertCreated = context.statement(insertCreatedSql);
  const inserted = [];
  for (const values of rows) {
    const row = insertRun.get(...values.map((value) => (typeof value === 'boolean' ? Number(value) : value))) as
      | RunRow
      | undefined;
    if (row === undefined) continue;
    insertCreated.run(row.id, row.queued_at, row.status, row.status_reason);
    inserted.push(toRunRecord(row));
  }
  return { inserted, duplicates: rows.length - inserted.length };
}
