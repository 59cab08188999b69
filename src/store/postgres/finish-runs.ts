/**
 * Records the outcome of running runs on PostgreSQL: a batch of finishes in one statement, each
 * a compare-and-set on `status = 'running' AND lease_owner = node`, with its transition row.
 */
import type { FinishRunItem } from '../store-backend.ts';
import { arrayLiteral } from './array-literal.ts';
import type { HeldConnection } from './held-connection.ts';
import { retryOnDeadlock } from './retry-on-deadlock.ts';

export const finishRunsSql = `
WITH input AS (
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::integer[], $6::integer[],
    $7::text[], $8::text[], $9::bigint[])
    AS i(id, node, status, finished_at, exit_code, http_status, error, reason, started_at)
), expected AS MATERIALIZED (
  SELECT input.*, 'running'::text AS from_status FROM input
), finished AS (
  UPDATE runs SET status = input.status, status_seq = runs.status_seq + 1, status_reason = input.reason,
    finished_at = input.finished_at, exit_code = input.exit_code, http_status = input.http_status,
    error = input.error, started_at = COALESCE(input.started_at, runs.started_at)
  FROM expected AS input
  -- id = ANY: look the runs up by primary key (the planner would hash every running run). The
  -- compare-and-set on status is a join condition, so the planner expects as many runs as ids
  -- (a filter on status would make it expect one, and rescan the input for each run found), and
  -- no partial index on status looks cheaper than the primary key.
  WHERE runs.id = ANY($1::bigint[]) AND runs.id = input.id AND runs.status = input.from_status
    AND runs.lease_owner = input.node
  RETURNING runs.id, runs.status_seq, runs.status, runs.status_reason, runs.finished_at, input.node
), transitions AS (
  INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
  SELECT id, status_seq, finished_at, 'running', status, status_reason, node FROM finished
)
SELECT id FROM finished`;

/**
 * The settings of the connection the finish keeps for itself: no sequential scan, so the runs are
 * found through the primary key (`id = ANY($1)`) in any plan. There the finish is a prepared
 * statement, planned once for the connection (generic after five executions); without these
 * settings a generic plan made after `runs` was analysed while small (10 rows) read the whole
 * table for every batch once it had grown without a new ANALYZE (autovacuum off): 42 ms for 256
 * runs at 20,000 rows, for the connection's life. Sent
 * through the pool (the held connection busy with another batch), the finish goes unnamed, planned
 * with its arrays and the table's size each time (0.3 to 0.8 ms a batch). Hash and merge joins
 * turned off as well made it slower: the nested loop then checked every run against the whole
 * array (docs/store.md#throughput).
 */
export const finishSessionSetup = 'SET enable_seqscan = off';

/** The prepared finish's name on the held connection (a new name for each change of its text). */
const finishStatementName = 'cronplane_finish_runs_v1';

export async function finishRunsPostgres(
  connection: HeldConnection,
  items: readonly FinishRunItem[],
): Promise<boolean[]> {
  // A run finished twice in one batch: the first call counts, as it would one after the other.
  const seen = new Set<number>();
  const batch = items
    .filter((item) => {
      if (seen.has(item.runId)) return false;
      seen.add(item.runId);
      return true;
    })
    // Rows in id order, so concurrent batches lock them in the same order.
    .sort((a, b) => a.runId - b.runId);
  // Prepared on the held connection (see finishSessionSetup); its locks may cross a lease
  // renewal's (see retry-on-deadlock.ts).
  const query = {
    text: finishRunsSql,
    values: [
      arrayLiteral(batch.map((item) => item.runId)),
      arrayLiteral(batch.map((item) => item.node)),
      arrayLiteral(batch.map((item) => item.status)),
      arrayLiteral(batch.map((item) => item.finishedAt)),
      arrayLiteral(batch.map((item) => item.exitCode)),
      arrayLiteral(batch.map((item) => item.httpStatus)),
      arrayLiteral(batch.map((item) => item.error)),
      arrayLiteral(batch.map((item) => item.reason)),
      arrayLiteral(batch.map((item) => item.startedAt)),
    ],
  };
  const result = await retryOnDeadlock(() =>
    connection.run((on, held) =>
      on.query<{ id: number }>(held ? { ...query, name: finishStatementName } : query),
    ),
  );
  const finished = new Set(result.rows.map((row) => row.id));
  const counted = new Set<number>();
  return items.map((item) => {
    if (!finished.has(item.runId) || counted.has(item.runId)) return false;
    counted.add(item.runId);
    return true;
  });
}
