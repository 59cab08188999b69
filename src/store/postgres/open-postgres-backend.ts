/**
 * The PostgreSQL backend: one `pg` pool shared by Kysely (shared SQL) and by the hot paths,
 * which send named (prepared once per connection) statements straight through the pool; the
 * claims keep one of its connections for themselves (`claim-connection.ts`).
 */
import type { StoreBackend } from '../store-backend.ts';
import { readPostgresChangeMark } from './change-mark.ts';
import { ClaimConnection } from './claim-connection.ts';
import { claimRunsPostgres } from './claim-runs.ts';
import { finishRunsPostgres } from './finish-runs.ts';
import { insertRunsPostgres } from './insert-runs.ts';
import { loadPostgresMigrations, migratePostgres } from './migrate.ts';
import type { PostgresPoolOptions } from './postgres-dialect.ts';
import { createPostgresKysely, createPostgresPool } from './postgres-dialect.ts';
import { createPostgresSignals } from './postgres-signals.ts';
import { listRecentRunsPostgres } from './recent-runs.ts';
import { appendLogPostgres, renewLeasesPostgres } from './run-output.ts';

export function openPostgresBackend(
  connectionString: string,
  options: PostgresPoolOptions = {},
): StoreBackend {
  const pool = createPostgresPool(connectionString, options);
  const db = createPostgresKysely(pool);
  const signals = createPostgresSignals(connectionString, pool);
  const claims = new ClaimConnection(pool);
  return {
    dialect: 'postgres',
    db,
    migrate: async (now) => migratePostgres(pool, await loadPostgresMigrations(), now),
    insertRuns: (rows) => insertRunsPostgres(pool, rows),
    claimRuns: (input) => claimRunsPostgres(claims, input),
    finishRuns: (items) => finishRunsPostgres(pool, items),
    renewLeases: (node, runIds, until) => renewLeasesPostgres(pool, node, runIds, until),
    appendLog: (runId, input) => appendLogPostgres(pool, runId, input),
    listRecentRuns: (query) => listRecentRunsPostgres(pool, query),
    async probeWrite() {
      await pool.query('SELECT 1');
    },
    readChangeMark: () => readPostgresChangeMark(pool),
    signals,
    async destroy() {
      await signals.close();
      claims.release();
      // Kysely ends the pool only if it ever used it; the hot paths may have been the only users.
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}
