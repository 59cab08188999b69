/**
 * Claims due runs on SQLite. SQLite has one writer at a time, so the claim is a single
 * `UPDATE ... WHERE id IN (SELECT ... ORDER BY ... LIMIT n) AND status = 'pending'` inside a
 * `BEGIN IMMEDIATE` transaction (the single-writer equivalent of `FOR UPDATE SKIP LOCKED`); the
 * transaction also appends the `pending -> running` transition rows. Lists in the filter are
 * bound as JSON arrays, so each shape of filter is one prepared statement.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { RunRecord } from '../run-record.ts';
import { compareClaimOrder, toRunRecord } from '../row-mapping.ts';
import type { RunRow } from '../schema.ts';
import type { ClaimRunsInput } from '../store.ts';
import type { SqliteContext } from './sqlite-context.ts';

const insertClaimedSql =
  'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status, reason, node) ' +
  "VALUES (?, ?, ?, 'pending', 'running', NULL, ?)";

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
  const sql =
    `UPDATE runs SET status = 'running', status_seq = status_seq + 1, status_reason = NULL, ` +
    `started_at = ?, node = ?, lease_owner = ?, lease_expires_at = ? ` +
    `WHERE status = 'pending' AND id IN (SELECT id FROM runs WHERE status = 'pending' AND run_after <= ? ` +
    `${filters.join(' ')} ORDER BY priority DESC, run_after, id LIMIT ?) RETURNING *`;
  const rows = context
    .statement(sql)
    .all(
      input.now,
      input.node,
      input.node,
      input.now + input.leaseMs,
      input.now,
      ...filterValues,
      input.limit,
    ) as unknown as RunRow[];
  const insertClaimed = context.statement(insertClaimedSql);
  const runs: RunRecord[] = [];
  for (const row of rows) {
    insertClaimed.run(row.id, row.status_seq, input.now, input.node);
    runs.push(toRunRecord(row));
  }
  return runs.sort(compareClaimOrder);
}
