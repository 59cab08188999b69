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

/** The claim's lists, in the order its statements take them. */
function claimLists(input: ClaimRunsInput): readonly (readonly unknown[] | undefined)[] {
  return [input.jobs, input.exclude?.jobs, input.exclude?.rateKeys, input.runIds];
}

/** Which of the claim's lists are given, as a key of `0`s and `1`s (one statement per key). */
export function claimShape(input: ClaimRunsInput): string {
  return claimLists(input)
    .map((list) => (list === undefined ? '0' : '1'))
    .join('');
}

/**
 * The claim's conditions on a run's `job`, `rate_key` and `id` for the lists given (`shape`),
 * each list a parameter numbered on from `after` (their values: `claimValues`).
 */
export function claimFilters(shape: string, after: number): string {
  const filters: string[] = [];
  let parameter = after;
  const next = (): string => `$${++parameter}`;
  if (shape[0] === '1') filters.push(`AND job = ANY(${next()}::text[])`);
  if (shape[1] === '1') filters.push(`AND NOT (job = ANY(${next()}::text[]))`);
  if (shape[2] === '1') filters.push(`AND (rate_key IS NULL OR NOT (rate_key = ANY(${next()}::text[])))`);
  if (shape[3] === '1') filters.push(`AND id = ANY(${next()}::bigint[])`);
  return filters.join(' ');
}

/**
 * The claim's parameters: `now`, the limit, the node, the lease's end and the due horizon
 * ($1 to $5), then the lists that `claimFilters` numbers.
 */
export function claimValues(input: ClaimRunsInput): unknown[] {
  const values: unknown[] = [
    input.now,
    input.limit,
    input.node,
    input.now + input.leaseMs,
    input.now + (input.aheadMs ?? 0),
  ];
  for (const list of claimLists(input)) if (list !== undefined) values.push(list);
  return values;
}

/**
 * The claim's move of the runs `ids` (a select of their ids) from pending to running for the
 * node `$3`, at `$1`, leased until `$4`; it sends back their rows.
 */
export function claimUpdate(ids: string): string {
  return `UPDATE runs SET status = 'running', status_seq = runs.status_seq + 1, status_reason = NULL,
    started_at = GREATEST($1::bigint, runs.run_after), node = $3::text, lease_owner = $3::text,
    lease_expires_at = $4::bigint
  WHERE runs.id = ANY(ARRAY(${ids})) AND runs.status = (SELECT 'pending'::text)
  RETURNING runs.*`;
}

/** One prepared statement per shape of filter (which of the lists are given). */
export function claimStatement(input: ClaimRunsInput): ClaimStatement {
  const key = claimShape(input);
  const cached = statements.get(key);
  if (cached !== undefined) return cached;
  const text = `
WITH picked AS (
  SELECT id FROM runs
  WHERE status = 'pending' AND run_after <= $5::bigint ${claimFilters(key, 5)}
  ORDER BY priority DESC, run_after, id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), claimed AS (
  ${claimUpdate('SELECT id FROM picked')}
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

/** The claim's statement sent on `on`. */
export async function sendClaimRuns(on: Queryable, input: ClaimRunsInput): Promise<RunRecord[]> {
  const result = await on.query<RunRow>({ ...claimStatement(input), values: claimValues(input) });
  return result.rows.map(toRunRecord);
}
