/**
 * Queues runs on PostgreSQL in one statement whatever the batch size: the rows travel as one
 * array per column and `unnest` turns them back into rows; the same statement appends each
 * created run's first transition. A run whose fire key is already recorded (or given earlier in the
 * batch: the first counts) is skipped and counted as a duplicate.
 */
import type { PreparedRun } from '../store-backend.ts';
import { insertedRunRecord, runInsertColumns } from '../row-mapping.ts';
import { arrayLiteral } from './array-literal.ts';
import type { HeldConnection, Queryable } from './held-connection.ts';
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
  cooldown_ms: 'bigint',
};

/** The inserted columns, quoted, in `runInsertColumns` order. */
export const insertColumns = runInsertColumns.map((column) => `"${column}"`).join(', ');

/**
 * The runs given, as CTEs of one statement: `input` (a row per run, its arrays numbered on from
 * parameter `after`, its id drawn from the sequence in input order and `ord` its place), the fire
 * keys recorded, and `accepted`: the runs to insert.
 *
 * A fire key is recorded in run_fire_keys before its run is inserted (migration 025): the keys go
 * in first with `ON CONFLICT DO NOTHING`, which makes each a speculative insertion (a lock taken
 * and released and a confirming WAL record), and only the runs whose key went in, or that have
 * none (triggered, enqueued, retried runs), are accepted. A key given twice in the batch goes in
 * for the first run (the lower id). runs has no index on fire_key, so the run's later versions
 * (its claim, its end) write none.
 */
export function acceptedRunsCtes(after: number): string {
  const arrays = runInsertColumns.map((column, index) => `$${after + index + 1}::${columnTypes[column]}[]`);
  return `input AS MATERIALIZED (
  SELECT nextval('runs_id_seq') AS id, i.* FROM unnest(${arrays.join(', ')})
    WITH ORDINALITY AS i(${insertColumns}, ord)
), keyed AS (
  INSERT INTO run_fire_keys (fire_key)
  SELECT fire_key FROM input WHERE fire_key IS NOT NULL ORDER BY id
  ON CONFLICT (fire_key) DO NOTHING
  RETURNING fire_key
), first_keyed AS (
  SELECT min(input.id) AS id FROM input JOIN keyed USING (fire_key) GROUP BY input.fire_key
), accepted AS MATERIALIZED (
  SELECT * FROM input WHERE fire_key IS NULL OR id IN (SELECT id FROM first_keyed)
)`;
}

/** The runs' column arrays, the parameters of `acceptedRunsCtes` in order. */
export function insertValues(runs: readonly PreparedRun[]): string[] {
  return runInsertColumns.map((_, column) => arrayLiteral(runs.map((run) => run.values[column])));
}

// Each input row takes its id from the sequence in input order (so ids follow the batch, as
// they did when the insert drew them); the statement sends back only the positions and ids of
// the rows it inserted, and the records are built from the values sent (`RETURNING *` of every
// column cost the server its output and Node the parsing of 31 columns per run).
const insertRunsSql = `
WITH ${acceptedRunsCtes(0)}, inserted AS (
  INSERT INTO runs (id, ${insertColumns})
  SELECT id, ${insertColumns} FROM accepted ORDER BY id
  RETURNING id, queued_at, status, status_reason
), created AS (
  INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
  SELECT id, 1, queued_at, NULL, status, status_reason, NULL FROM inserted
)
SELECT ord::integer, id FROM accepted ORDER BY id`;

/** Inserts on the inserts' own connection (`held-connection.ts`), through the pool while it is busy. */
export async function insertRunsPostgres(
  connection: HeldConnection,
  runs: readonly PreparedRun[],
): Promise<InsertRunsResult> {
  return connection.run((on) => sendInsertRuns(on, runs));
}

/** The insert's statement sent on `on`. */
async function sendInsertRuns(on: Queryable, runs: readonly PreparedRun[]): Promise<InsertRunsResult> {
  const result = await on.query<[number, number]>({
    name: 'cronplane_insert_runs_v6',
    text: insertRunsSql,
    values: insertValues(runs),
    rowMode: 'array',
  });
  const inserted = result.rows.map(([ord, id]) => {
    const { run, values } = runs[ord - 1] as PreparedRun;
    return insertedRunRecord(Number(id), values, run);
  });
  return { inserted, duplicates: runs.length - inserted.length };
}
