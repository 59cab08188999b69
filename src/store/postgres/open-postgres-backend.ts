/**
 * The PostgreSQL backend: one `pg` pool shared by Kysely (shared SQL) and by the hot paths,
 * which send named (prepared once per connection) statements straight through the pool; the
 * insert, the claim and the batched finish each keep one of its connections for themselves
 * (`held-connection.ts`).
 */
import type { StoreBackend } from '../store-backend.ts';
import { readPostgresChangeMark } from './change-mark.ts';
import { claimRunsPostgres } from './claim-runs.ts';
import { finishRunsPostgres, finishSessionSetup } from './finish-runs.ts';
import { HeldConnection } from './held-connection.ts';
import { insertAndClaimRunsPostgres } from './insert-and-claim-runs.ts';
import { insertRunsPostgres } from './insert-runs.ts';
import { loadPostgresMigrations, migratePostgres } from './migrate.ts';
import type { PostgresPoolOptions } from './postgres-dialect.ts';
import { createPostgresKysely, createPostgresPool, defaultPoolSize } from './postgres-dialect.ts';
import { createPostgresSignals } from './postgres-signals.ts';
import { acquireLeasePostgres, heartbeatNodePostgres } from './node-beats.ts';
import { listRecentRunsPostgres } from './recent-runs.ts';
import { appendLogPostgres, renewLeasesPostgres } from './run-output.ts';
import { syncJobsPostgres } from './sync-jobs.ts';

export function openPostgresBackend(
  connectionString: string,
  options: PostgresPoolOptions = {},
): StoreBackend {
  const pool = createPostgresPool(connectionString, options);
  const db = createPostgresKysely(pool);
  const signals = createPostgresSignals(connectionString, pool);
  // Each holds a connection only while two are left to the rest of the pool.
  const poolSize = options.poolSize ?? defaultPoolSize;
  const inserts = new HeldConnection(pool, { holds: poolSize >= 4 });
  const claims = new HeldConnection(pool, { holds: poolSize >= 4 });
  const finishes = new HeldConnection(pool, { holds: poolSize >= 5, setup: finishSessionSetup });
  return {
    dialect: 'postgres',
    db,
    migrate: async (now) => migratePostgres(pool, await loadPostgresMigrations(), now),
    syncJobs: (jobs, at) => syncJobsPostgres(pool, jobs, at),
    insertRuns: (rows) => insertRunsPostgres(inserts, rows),
    claimRuns: (input) => claimRunsPostgres(claims, input),
    insertAndClaimRuns: (rows, input) => insertAndClaimRunsPostgres(inserts, rows, input),
    finishRuns: (items) => finishRunsPostgres(finishes, items),
    renewLeases: (node, runIds, until) => renewLeasesPostgres(pool, node, runIds, until),
    appendLog: (runId, input) => appendLogPostgres(pool, runId, input),
    listRecentRuns: (query) => listRecentRunsPostgres(pool, query),
    acquireLease: (input) => acquireLeasePostgres(pool, input),
    heartbeatNode: (instanceId, input) => heartbeatNodePostgres(pool, instanceId, input),
    async probeWrite() {
      await pool.query('SELECT 1');
    },
    readChangeMark: () => readPostgresChangeMark(pool),
    signals,
    async destroy() {
      await signals.close();
      inserts.release();
      claims.release();
      finishes.release();
      // Kysely ends the pool only if it ever used it; the hot paths may have been the only users.
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}
