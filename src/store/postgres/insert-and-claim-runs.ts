/**
 * `Store.insertAndClaimRuns` on PostgreSQL in one statement, so one round trip and one commit
 * stand between a run asked for and its start (a transaction of the insert and the claim took
 * four round trips: `BEGIN`, the two statements, `COMMIT`).
 *
 * A statement does not see the rows its own parts insert, so the claim cannot pick the new runs
 * from `runs`: it picks, in claim order, from the runs already waiting (`FOR UPDATE SKIP LOCKED`,
 * as the claim does) and the runs being inserted that it would take (pending, due by the horizon,
 * passing the same filters) together. The new runs it takes are inserted already running, with
 * both their transitions (queued, then claimed); the waiting runs it takes are moved to running as
 * the claim moves them. A new run is one version of its row instead of an insert and an update
 * of every index.
 */
import type { PreparedRun } from '../store-backend.ts';
import { insertedRunRecord, runInsertColumns, toRunRecord } from '../row-mapping.ts';
import type { RunRecord } from '../run-record.ts';
import type { RunRow } from '../schema.ts';
import type { ClaimRunsInput, InsertAndClaimResult } from '../store.ts';
import { claimFilters, claimShape, claimUpdate, claimValues } from './claim-runs.ts';
import type { ClaimStatement } from './claim-runs.ts';
import type { HeldConnection } from './held-connection.ts';
import { acceptedRunsCtes, insertColumns, insertValues } from './insert-runs.ts';

const statements = new Map<string, ClaimStatement>();

/** A new run's inserted values, with a taken one's status as the claim writes it. */
const newRunValues = runInsertColumns
  .map((column) =>
    column === 'status'
      ? `CASE WHEN taken.id IS NULL THEN a.status ELSE 'running' END`
      : column === 'status_reason'
        ? 'CASE WHEN taken.id IS NULL THEN a.status_reason END'
        : `a."${column}"`,
  )
  .join(', ');

/** One prepared statement per shape of the claim's filter, as the claim has. */
export function insertAndClaimStatement(claim: ClaimRunsInput): ClaimStatement {
  const shape = claimShape(claim);
  const cached = statements.get(shape);
  if (cached !== undefined) return cached;
  // $1 to $5 and the filter's lists: the claim's parameters (`claimValues`); then the runs' arrays.
  const filters = claimFilters(shape, 5);
  const firstArray = 5 + [...shape].filter((given) => given === '1').length;
  const text = `
WITH ${acceptedRunsCtes(firstArray)}, waiting AS (
  SELECT id, priority, run_after, false AS is_new FROM runs
  WHERE status = 'pending' AND run_after <= $5::bigint ${filters}
  ORDER BY priority DESC, run_after, id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), taken AS MATERIALIZED (
  SELECT id, is_new FROM (
    SELECT id, priority, run_after, is_new FROM waiting
    UNION ALL
    SELECT id, priority, run_after, true FROM accepted
    WHERE status = 'pending' AND run_after <= $5::bigint ${filters}
  ) candidates
  ORDER BY priority DESC, run_after, id
  LIMIT $2
), inserted AS (
  INSERT INTO runs (id, ${insertColumns}, status_seq, started_at, node, lease_owner, lease_expires_at)
  SELECT a.id, ${newRunValues},
    CASE WHEN taken.id IS NULL THEN 1 ELSE 2 END,
    CASE WHEN taken.id IS NOT NULL THEN GREATEST($1::bigint, a.run_after) END,
    CASE WHEN taken.id IS NOT NULL THEN $3::text END,
    CASE WHEN taken.id IS NOT NULL THEN $3::text END,
    CASE WHEN taken.id IS NOT NULL THEN $4::bigint END
  FROM accepted a LEFT JOIN taken ON taken.id = a.id AND taken.is_new
  ORDER BY a.id
), claimed AS (
  ${claimUpdate('SELECT id FROM taken WHERE NOT is_new')}
), transitions AS (
  INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
  SELECT id, 1, queued_at, NULL, status, status_reason, NULL FROM accepted
  UNION ALL
  SELECT id, 2, $1::bigint, 'pending', 'running', NULL, $3::text FROM taken WHERE is_new
  UNION ALL
  SELECT id, status_seq, $1::bigint, 'pending', 'running', NULL, $3::text FROM claimed
)
SELECT (NULL::runs).*, a.ord::integer AS new_ord, a.id AS new_id, taken.id IS NOT NULL AS new_taken
FROM accepted a LEFT JOIN taken ON taken.id = a.id AND taken.is_new
UNION ALL
SELECT claimed.*, NULL, NULL, NULL FROM claimed`;
  const made = { name: `cronplane_insert_claim_runs_v1_${shape}`, text };
  statements.set(shape, made);
  return made;
}

/** A row of the statement's answer: a new run's place (the rest null), or a waiting run claimed. */
type AnswerRow = RunRow & {
  readonly new_ord: number | null;
  readonly new_id: number | null;
  readonly new_taken: boolean | null;
};

/**
 * Records the runs and claims in one statement on the inserts' own connection (through the pool
 * while it is busy). Inserted runs come back as recorded (pending), claimed ones as running, in
 * claim order.
 */
export async function insertAndClaimRunsPostgres(
  connection: HeldConnection,
  runs: readonly PreparedRun[],
  claim: ClaimRunsInput,
): Promise<InsertAndClaimResult> {
  const { name, text } = insertAndClaimStatement(claim);
  const values = [...claimValues(claim), ...insertValues(runs)];
  const result = await connection.run((on) => on.query<AnswerRow>({ name, text, values }));
  const inserted: RunRecord[] = [];
  const claimed: RunRecord[] = [];
  for (const row of result.rows) {
    if (row.new_ord === null) {
      claimed.push(toRunRecord(row));
      continue;
    }
    const { run, values: columns } = runs[row.new_ord - 1] as PreparedRun;
    const record = insertedRunRecord(Number(row.new_id), columns, run);
    inserted.push(record);
    if (row.new_taken === true) claimed.push(claimedRecord(record, claim));
  }
  inserted.sort((a, b) => a.id - b.id);
  claimed.sort(inClaimOrder);
  return { inserted, duplicates: runs.length - inserted.length, claimed };
}

/** A new run as the statement inserted it when it took it (what the claim writes, as `claim-runs.ts`). */
function claimedRecord(record: RunRecord, claim: ClaimRunsInput): RunRecord {
  return {
    ...record,
    status: 'running',
    statusReason: null,
    statusSeq: 2,
    startedAt: Math.max(claim.now, record.runAfter),
    node: claim.node,
    leaseOwner: claim.node,
    leaseExpiresAt: claim.now + claim.leaseMs,
  };
}

function inClaimOrder(a: RunRecord, b: RunRecord): number {
  return b.priority - a.priority || a.runAfter - b.runAfter || a.id - b.id;
}
