/**
 * The last runs of each job and fan-out key on SQLite: one prepared statement per key, each a
 * backwards walk of `runs_job_key` (migration 011) that stops after `perKey` rows, all in one
 * read transaction (one snapshot; it takes no write lock), run without yielding under the
 * connection's mutex.
 */
import type { RecentRunRecord, RecentRunsQuery } from '../overview-records.ts';
import type { RecentRunRow } from '../sql/overview-queries.ts';
import { toRecentRun } from '../sql/overview-queries.ts';
import type { SqliteContext } from './sqlite-context.ts';

export const recentRunsSql =
  'SELECT id, job, fan_key, status, scheduled_at, started_at, finished_at FROM runs ' +
  'WHERE job = ? AND fan_key = ? ORDER BY id DESC LIMIT ?';

export function listRecentRunsSqlite(context: SqliteContext, query: RecentRunsQuery): RecentRunRecord[] {
  const statement = context.statement(recentRunsSql);
  const runs: RecentRunRecord[] = [];
  context.statement('BEGIN DEFERRED').run();
  try {
    for (const key of query.keys) {
      const rows = statement.all(key.job, key.fanKey, query.perKey) as unknown as RecentRunRow[];
      for (const row of rows) runs.push(toRecentRun(row));
    }
  } finally {
    if (context.database.isTransaction) context.statement('COMMIT').run();
  }
  return runs;
}
