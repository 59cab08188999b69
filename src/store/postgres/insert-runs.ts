/**
 * Queues runs on PostgreSQL in one statement whatever the batch size: the rows travel as one
 * array per column and `unnest` turns them back into rows; the same statement appends each
 * created run's first transition. A fire key already recorded (or given twice in the batch: the
 * first counts) is skipped (`ON CONFLICT DO NOTHING`) and counted as a duplicate.
 */
import type { PreparedRun } from '../store-backend.ts';
import { insertedRunRecord, runInsertColumns } from '../row-mapping.ts';
import { arrayLiteral } from './array-literal.ts';
import type { HeldConnection } from './held-connection.ts';
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

const columns = runInsertColumns.map((column) => `"${column}"`).join(', ');

// Each input row takes its id from the sequence in input order (so ids follow the batch, as
// they did when the insert drew them); the statement sends back only the positions and ids of
// the rows it inserted, and the records are built from the values sent (`RETURNING *` of every
// column cost the server its output and Node the parsing of 31 columns per run).
const insertSelect = `INSERT INTO runs (id, ${columns})
  SELECT id, ${columns} FROM input`;
const insertReturning = 'RETURNING id, queued_at, status, status_reason';

// Runs with a fire key are inserted with `ON CONFLICT`, which makes each row a speculative
// insertion: a lock taken and released and a confirming WAL record per row. A run without a key
// cannot conflict (NULL keys are not in runs_fire_key), so those (triggered, enqueued, retried
// runs) are inserted plainly in the same statement: 48 bytes of WAL less per run, 6% of the
// insert's (docs/store.md#throughput). Both take their ids from the input, in input order.
const insertRunsSql = `
WITH input AS MATERIALIZED (
  SELECT nextval('runs_id_seq') AS id, i.* FROM unnest(${runInsertColumns.map((column, index) => `$${index + 1}::${columnTypes[column]}[]`).join(', ')})
    WITH ORDINALITY AS i(${columns}, ord)
), keyed AS (
  ${insertSelect} WHERE fire_key IS NOT NULL ORDER BY id
  ON CONFLICT (fire_key) WHERE fire_key IS NOT NULL DO NOTHING
  ${insertReturning}
), unkeyed AS (
  ${insertSelect} WHERE fire_key IS NULL ORDER BY id
  ${insertReturning}
), inserted AS (
  SELECT * FROM keyed UNION ALL SELECT * FROM unkeyed
), created AS (
  INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
  SELECT id, 1, queued_at, NULL, status, status_reason, NULL FROM inserted
)
SELECT input.ord::integer, input.id FROM input WHERE input.id IN (SELECT id FROM inserted) ORDER BY input.id`;

/** Inserts on the inserts' own connection (`held-connection.ts`), through the pool while it is busy. */
export async function insertRunsPostgres(
  connection: HeldConnection,
  runs: readonly PreparedRun[],
): Promise<InsertRunsResult> {
  const arrays = runInsertColumns.map((_, column) => arrayLiteral(runs.map((run) => run.values[column])));
  const result = await connection.run((on) =>
    on.query<[number, number]>({
      name: 'cronplane_insert_runs_v4',
      text: insertRunsSql,
      values: arrays,
      rowMode: 'array',
    }),
  );
  const inserted = result.rows.map(([ord, id]) => {
    const { run, values } = runs[ord - 1] as PreparedRun;
    return insertedRunRecord(Number(id), values, run);
  });
  return { inserted, duplicates: runs.length - inserted.length };
}
