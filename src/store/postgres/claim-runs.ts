/**
 * Claims due runs on PostgreSQL in one statement: pick pending runs in claim order with
 * `FOR UPDATE SKIP LOCKED` (racing nodes skip each other's rows instead of waiting), move them
 * to running with a compare-and-set on `status = 'pending'`, and append their transitions.
 * `id = ANY(ARRAY(...))` keeps the update on primary-key lookups even under a prepared (generic)
 * plan, which otherwise hash-joins every pending run; the status it compares with is a
 * sub-select so that the planner cannot match it to the partial index runs_claim (which also
 * has `id`, as its third column, and would be walked whole for each claim).
 */
import type { HeldConnection, Queryable } from './held-connection.ts';
import type { RunRecord } from '../run-record.ts';
import { toRunRecord } from '../row-mapping.ts';
import type { RunRow } from '../schema.ts';
import type { ClaimRunsInput } from '../store.ts';

export interface ClaimStatement {
  readonly name: string;
  readonly text: string;
}

const statements = new Map<string, ClaimStatement>();

/** One prepared statement per shape of filter (which of the lists are given). */
export function claimStatement(input: ClaimRunsInput): ClaimStatement {
  const given = [input.jobs, input.exclude?.jobs, input.exclude?.rateKeys, input.runIds].map(
    (list) => list !== undefined,
  );
  const key = given.map((flag) => (flag ? '1' : '0')).join('');
  const cached = statements.get(key);
  if (cached !== undefined) return cached;
  const filters: string[] = [];
  let parameter = 5;
  const next = (): string => `$${++parameter}`;
  if (given[0] === true) filters.push(`AND job = ANY(${next()}::text[])`);
  if (given[1] === true) filters.push(`AND NOT (job = ANY(${next()}::text[]))`);
  if (given[2] === true) filters.push(`AND (rate_key IS NULL OR NOT (rate_key = ANY(${next()}::text[])))`);
  if (given[3] === true) filters.push(`AND id = ANY(${next()}::bigint[])`);
  const text = `
WITH picked AS (
  SELECT id FROM runs
  WHERE status = 'pending' AND run_after <= $5::bigint ${filters.join(' ')}
  ORDER BY priority DESC, run_after, id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE runs SET status = 'running', status_seq = runs.status_seq + 1, status_reason = NULL,
    started_at = GREATEST($1::bigint, runs.run_after), node = $3::text, lease_owner = $3::text,
    lease_expires_at = $4::bigint
  WHERE runs.id = ANY(ARRAY(SELECT id FROM picked)) AND runs.status = (SELECT 'pending'::text)
  RETURNING runs.*
), transitions AS (
  INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node)
  SELECT id, status_seq, $1::bigint, 'pending', 'running', NULL, $3::text FROM claimed
)
SELECT * FROM claimed ORDER BY priority DESC, run_after, id`;
  const statement = { name: `cronplane_claim_runs_v2_${key}`, text };
  statements.set(key, statement);
  return statement;
}

/** Claims on the claims' own connection (`held-connection.ts`), through the pool while it is busy. */
export async function claimRunsPostgres(
  connection: HeldConnection,
  input: ClaimRunsInput,
): Promise<RunRecord[]> {
  return connection.run((on) => sendClaimRuns(on, input));
}

/** The claim's statement sent on `on` (alone, or inside the transaction of an insert). */
export async function sendClaimRuns(on: Queryable, input: ClaimRunsInput): Promise<RunRecord[]> {
  const values: unknown[] = [
    input.now,
    input.limit,
    input.node,
    input.now + input.leaseMs,
    input.now + (input.aheadMs ?? 0),
  ];
  for (const list of [input.jobs, input.exclude?.jobs, input.exclude?.rateKeys, input.runIds]) {
    if (list !== undefined) values.push(list);
  }
  const result = await on.query<RunRow>({ ...claimStatement(input), values });
  return result.rows.map(toRunRecord);
}
