/**
 * Queues runs on PostgreSQL in one statement whatever the batch size: the rows travel as one
 * array per column and `unnest` turns them back into rows; the same statement appends each
 * created run's first transition. A fire key already recorded is skipped (`ON CONFLICT DO
 * NOTHING`) and counted as a duplicate.
 */
import type pg from 'pg';
import type { PreparedRun } from '../store-backend.ts';
import { runInsertColumns, toRunRecord } from '../row-mapping.ts';
import type { RunRow } from '../schema.ts';
import type { InsertRunsResult } from '../store.ts';

const columnTypes: { readonly [Column in (typeof runInsertColumns)[number]]: string } = {
  job: 'text',
  fan_key: 'text',
  params_json: 'text',
  payload_json: 'text',
  trigger: 'text',
  requested_by: 'text',
  scheduled_at: 'bigint',
  run_after: 'bigint',
  priority: 'integer',
  rate_key: 'text',
  queued_at: 'bigint',
  attempt: 'integer',
  first_run_id: 'bigint',
  dry_run: 'boolean',
  fire_key: 'text',
  status: 'text',
  status_reason: 'text',
  error: 'text',
  finished_at: 'bigint',
  secret_params: 'text',
};

const columns = runInsertColumns.map((column) => `"${column}"`).join(', ');

const insertRunsSql = `
WITH input AS (
  SELECT * FROM unnest(${runInsertColumns.map((column, index) => `$${index + 1}::${columnTypes[column]}[]`).join(', ')})
    WITH ORDINALITY AS i(${columns}, ord)
), inserted AS (
  INSERT INTO runs (${columns})
  SELECT ${columns} FROM input ORDER BY ord
  ON CONFLICT (fire_key) DO NOTHING
  RETURNING *
), created AS (
  INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
  SELECT id, 1, queued_at, NULL, status, status_reason, NULL FROM inserted
)
SELECT * FROM inserted ORDER BY id`;

export async function insertRunsPostgres(
  pool: pg.Pool,
  runs: readonly PreparedRun[],
): Promise<InsertRunsResult> {
  const arrays = runInsertColumns.map((_, column) => runs.map((run) => run.values[column]));
  const result = await pool.query<RunRow>({
    name: 'cronplane_insert_runs',
    text: insertRunsSql,
    values: arrays,
  });
  return { inserted: result.rows.map(toRunRecord), duplicates: runs.length - result.rows.length };
}
