/**
 * The last runs of each job and fan-out key on PostgreSQL: one statement, the keys as two arrays
 * and a LATERAL join that walks `runs_job_key` (migration 011) backwards for each, stopping after
 * `perKey` rows. Its cost grows with the keys asked and the runs shown, not with the runs stored.
 * `runs_job_key` holds the runs that are neither pending nor running (migration 024): a key's
 * pending and running runs are read beside them through `runs_active` (sorted, so the planner does
 * not walk the primary key for a key that has none) and the two merged.
 */
import type pg from 'pg';
import type { RecentRunRecord, RecentRunsQuery } from '../overview-records.ts';
import type { RecentRunRow } from '../sql/overview-queries.ts';
import { toRecentRun } from '../sql/overview-queries.ts';

export const recentRunsSql = `
SELECT r.id, k.job, k.fan_key, r.status, r.scheduled_at, r.started_at, r.finished_at
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(job, fan_key, n)
CROSS JOIN LATERAL (
  (SELECT id, status, scheduled_at, started_at, finished_at FROM runs
   WHERE runs.job = k.job AND runs.fan_key = k.fan_key AND status <> 'pending' AND status <> 'running'
   ORDER BY id DESC LIMIT $3)
  UNION ALL
  (SELECT id, status, scheduled_at, started_at, finished_at FROM runs
   WHERE runs.job = k.job AND runs.fan_key = k.fan_key AND status IN ('pending', 'running')
   ORDER BY id + 0 DESC LIMIT $3)
  ORDER BY id DESC LIMIT $3
) r
ORDER BY k.n, r.id DESC`;

/** Keys per statement: the arrays stay small enough to send and plan quickly. */
const chunk = 5000;

export async function listRecentRunsPostgres(
  pool: pg.Pool,
  query: RecentRunsQuery,
): Promise<RecentRunRecord[]> {
  const runs: RecentRunRecord[] = [];
  for (let start = 0; start < query.keys.length; start += chunk) {
    const keys = query.keys.slice(start, start + chunk);
    const result = await pool.query<RecentRunRow>({
      name: 'cronplane_recent_runs_v2',
      text: recentRunsSql,
      values: [keys.map((key) => key.job), keys.map((key) => key.fanKey), query.perKey],
    });
    runs.push(...result.rows.map(toRecentRun));
  }
  return runs;
}
