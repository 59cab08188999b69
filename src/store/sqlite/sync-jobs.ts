/**
 * The job file's sync on SQLite: the decision is the shared one (`sql/plan-job-sync.ts`), the rows
 * are written by one prepared upsert per job, the upsert that the API jobs' writer
 * (`sql/upsert-job-rows.ts`) sends 500 rows at a time through Kysely. A first sync of 100,000 jobs
 * took 0.76-1.04 s through such statements (each compiled with its 3,500 parameters) and
 * 0.62-0.74 s this way (docs/benchmarks.md, start-up of 100,000 file jobs).
 *
 * One `BEGIN IMMEDIATE` transaction (`SqliteContext.transactionAcrossTurns`): the read of the
 * rows and the writes see no other writer between them. The caller holds the connection's mutex
 * for the whole sync; between chunks of rows the event loop runs (timers, the API), while other
 * queries of this connection wait for the mutex.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { assertTime } from '../row-mapping.ts';
import type { StoredJobRow } from '../sql/plan-job-sync.ts';
import { checkJobsToSync, planJobSync } from '../sql/plan-job-sync.ts';
import type { JobToSync, SyncJobsResult } from '../store-records.ts';
import type { SqliteContext } from './sqlite-context.ts';

/** The rows of the file's jobs: not those of active API jobs, which the file's sync leaves alone. */
const storedJobsSql = `
SELECT name, config_hash, removed_at FROM jobs
WHERE name NOT IN (SELECT name FROM api_jobs WHERE status = 'active')`;

const upsertJobSql = `
INSERT INTO jobs (name, config_hash, spec_json, paused, created_at, updated_at, removed_at)
VALUES (?, ?, ?, 0, ?, ?, NULL)
ON CONFLICT (name) DO UPDATE SET config_hash = excluded.config_hash, spec_json = excluded.spec_json,
  updated_at = excluded.updated_at, removed_at = NULL`;

const removeJobSql = 'UPDATE jobs SET removed_at = ?, updated_at = ? WHERE name = ?';

/** Rows written between two turns of the event loop (about 25 ms of work). */
const rowsPerTurn = 5000;

/** The caller holds the connection's mutex; one transaction, committed, or rolled back if anything throws. */
export async function syncJobsSqlite(
  context: SqliteContext,
  jobs: readonly JobToSync[],
  at: number,
): Promise<SyncJobsResult> {
  assertTime(at, 'at');
  const wanted = checkJobsToSync(jobs);
  return context.transactionAcrossTurns(async () => {
    const stored = context.statement(storedJobsSql);
    // Rows as arrays: node:sqlite builds objects several times slower (100,000 rows on a restart).
    stored.setReturnArrays(true);
    const existing = new Map<string, StoredJobRow>();
    for (const [name, hash, removedAt] of stored.all() as unknown as [string, string, number | null][]) {
      existing.set(name, { name, config_hash: hash, removed_at: removedAt });
    }
    const { writes, ...result } = planJobSync(wanted, existing);
    const upsert = context.statement(upsertJobSql);
    for (const [index, job] of writes.entries()) {
      if (index > 0 && index % rowsPerTurn === 0) await yieldToEventLoop();
      upsert.run(job.name, job.configHash, job.specJson ?? JSON.stringify(job.spec), at, at);
    }
    const remove = context.statement(removeJobSql);
    for (const name of result.removed) remove.run(at, at, name);
    return result;
  });
}
