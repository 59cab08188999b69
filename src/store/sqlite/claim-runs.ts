/**
 * Claims due runs on SQLite. SQLite has one writer at a time, so inside a `BEGIN IMMEDIATE`
 * transaction (the single-writer equivalent of `FOR UPDATE SKIP LOCKED`) the claim reads the
 * next runs in claim order, moves exactly those from pending to running (compare-and-set on
 * `status = 'pending'`), and appends their transitions with one `INSERT ... SELECT`. Lists in
 * the filter are bound as JSON arrays, so each shape of filter is one prepared statement. A run
 * claimed ahead of its `run_after` records that as its start.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { RunRecord } from '../run-record.ts';
import { runColumns, runRowFromArray, toRunRecord } from '../row-mapping.ts';
import type { ClaimRunsInput } from '../store.ts';
import type { SqliteContext } from './sqlite-context.ts';

const claimSql =
  "UPDATE runs SET status = 'running', status_seq = status_seq + 1, status_reason = NULL, " +
  'started_at = max(?, run_after), node = ?, lease_owner = ?, lease_expires_at = ? ' +
  "WHERE id IN (SELECT value FROM json_each(?)) AND status = 'pending'";

const insertClaimedSql =
  'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node) ' +
  "SELECT id, status_seq, ?, 'pending', 'running', NULL, ? FROM runs WHERE id IN (SELECT value FROM json_each(?))";

/** Synchronous; the caller holds the connection and a transaction. Returns runs in claim order. */
export function claimRunsSqlite(context: SqliteContext, input: ClaimRunsInput): RunRecord[] {
  const filters: string[] = [];
  const filterValues: SQLInputValue[] = [];
  const addList = (values: readonly (string | number)[] | undefined, clause: string): void => {
    if (values === undefined) return;
    filters.push(clause);
    filterValues.push(JSON.stringify(values));
  };
  addList(input.jobs, 'AND job IN (SELECT value FROM json_each(?))');
  addList(input.exclude?.jobs, 'AND job NOT IN (SELECT value FROM json_each(?))');
  addList(
    input.exclude?.rateKeys,
    'AND (rate_key IS NULL OR rate_key NOT IN (SELECT value FROM json_each(?)))',
  );
  addList(input.runIds, 'AND id IN (SELECT value FROM json_each(?))');
  // INDEXED BY: the planner would otherwise pick runs_status and sort every pending run.
  const pickSql =
    `SELECT ${runColumns.map((column) => `"${column}"`).join(', ')} FROM runs INDEXED BY runs_claim ` +
    `WHERE status = 'pending' AND run_after <= ? ${filters.join(' ')} ` +
    'ORDER BY priority DESC, run_after, id LIMIT ?';
  const pick = context.statement(pickSql);
  pick.setReturnArrays(true);
  const dueBy = input.now + (input.aheadMs ?? 0);
  const picked = pick.all(dueBy, ...filterValues, input.limit) as unknown as unknown[][];
  if (picked.length === 0) return [];
  const ids = JSON.stringify(picked.map((values) => values[0]));
  const leaseExpiry = input.now + input.leaseMs;
  context.statement(claimSql).run(input.now, input.node, input.node, leaseExpiry, ids);
  context.statement(insertClaimedSql).run(input.now, input.node, ids);
  // Each row as the claim left it, mapped once (the columns' positions are those of runColumns).
  return picked.map((values) => {
    values[statusAt] = 'running';
    values[statusReasonAt] = null;
    values[statusSeqAt] = (values[statusSeqAt] as number) + 1;
    values[startedAt] = Math.max(input.now, values[runAfterAt] as number);
    values[nodeAt] = input.node;
    values[leaseOwnerAt] = input.node;
    values[leaseExpiresAt] = leaseExpiry;
    return toRunRecord(runRowFromArray(values));
  });
}

const statusAt = runColumns.indexOf('status');
const statusReasonAt = runColumns.indexOf('status_reason');
const statusSeqAt = runColumns.indexOf('status_seq');
const startedAt = runColumns.indexOf('started_at');
const runAfterAt = runColumns.indexOf('run_after');
const nodeAt = runColumns.indexOf('node');
const leaseOwnerAt = runColumns.indexOf('lease_owner');
const leaseExpiresAt = runColumns.indexOf('lease_expires_at');
