/**
 * The SQLite backend: one `DatabaseSync` connection shared by Kysely (through
 * `NodeSqliteDialect`) and by the hot paths, which run synchronously under the same mutex.
 */
import type { DatabaseSync } from 'node:sqlite';
import { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { StoreBackend } from '../store-backend.ts';
import { sqliteChangeMarkReader, sqliteDataVersionReader } from './change-mark.ts';
import { acquireLeaseSqlite, heartbeatNodeSqlite } from './node-beats.ts';
import { claimRunsSqlite } from './claim-runs.ts';
import { finishRunsSqlite } from './finish-runs.ts';
import { insertRunsSqlite } from './insert-runs.ts';
import { loadSqliteMigrations, migrateSqlite } from './migrate.ts';
import { Mutex } from './mutex.ts';
import { NodeSqliteDialect, openNodeSqliteDatabase } from './node-sqlite-dialect.ts';
import { prepareSqlitePath, sqliteOpenError, systemErrorWords } from './prepare-sqlite-path.ts';
import { defaultBusyBudgetMs, migrationBusyBudgetMs, retryWhileBusy } from './retry-while-busy.ts';
import { listRecentRunsSqlite } from './recent-runs.ts';
import { appendLogSqlite, renewLeasesSqlite } from './run-output.ts';
import { createSqliteSignals } from './sqlite-signals.ts';
import { SqliteContext } from './sqlite-context.ts';
import { syncJobsSqlite } from './sync-jobs.ts';
import { WalCheckpointer, walAutocheckpointPages } from './wal-checkpointer.ts';

export interface SqliteBackendOptions {
  /**
   * How long a call waits in all for another process's write lock before it fails with
   * "database is locked" (default 1,000 ms). The wait is asynchronous: see `retryWhileBusy`.
   */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens the database at `location`, a file path or `:memory:`, creating the file's own folder
 * when its parent exists; throws `store.open` naming the path and the cause.
 */
export function openSqliteBackend(location: string, options: SqliteBackendOptions = {}): StoreBackend {
  if (location !== ':memory:') prepareSqlitePath(location);
  let database: DatabaseSync;
  try {
    database = openNodeSqliteDatabase(location);
  } catch (thrown) {
    // "file is not a database", "database disk image is malformed", "unable to open database file".
    throw sqliteOpenError(location, systemErrorWords(thrown), thrown);
  }
  const budgetMs = options.busyTimeoutMs ?? defaultBusyBudgetMs;
  const mutex = new Mutex();
  const context = new SqliteContext(database);
  const readDataVersion = sqliteDataVersionReader(database);
  // The mutex keeps the read between the connection's other statements.
  const signals = createSqliteSignals(location, () => mutex.runExclusive(readDataVersion));
  // Checkpoints run in a thread of their own once the log grows; this connection checkpoints
  // only as a fallback, when the log is ten times SQLite's usual size.
  let checkpointer: WalCheckpointer | undefined;
  if (location !== ':memory:') {
    database.exec(`PRAGMA wal_autocheckpoint = ${walAutocheckpointPages}`);
    checkpointer = new WalCheckpointer(location);
    checkpointer.watch();
  }
  const db = new Kysely<Database>({
    dialect: new NodeSqliteDialect({ database, mutex, busyBudgetMs: budgetMs }),
  });
  // Between tries for the write lock the connection is free for others (reads work meanwhile).
  const exclusive = <T>(work: () => T | Promise<T>, budget = budgetMs): Promise<T> =>
    retryWhileBusy(() => mutex.runExclusive(work), budget);
  const readChangeMark = sqliteChangeMarkReader(database);

  return {
    dialect: 'sqlite',
    db,
    async migrate(now) {
      const migrations = await loadSqliteMigrations();
      return exclusive(
        () => migrateSqlite(database, migrations, now),
        Math.max(budgetMs, migrationBusyBudgetMs),
      );
    },
    syncJobs: (jobs, at) => exclusive(() => syncJobsSqlite(context, jobs, at)),
    insertRuns: (rows) => exclusive(() => context.transaction(() => insertRunsSqlite(context, rows))),
    claimRuns: (input) => exclusive(() => context.transaction(() => claimRunsSqlite(context, input))),
    insertAndClaimRuns: (rows, input) =>
      exclusive(() =>
        context.transaction(() => ({
          ...insertRunsSqlite(context, rows),
          claimed: claimRunsSqlite(context, input),
        })),
      ),
    finishRuns: (items) => exclusive(() => context.transaction(() => finishRunsSqlite(context, items))),
    renewLeases: (node, runIds, until) => exclusive(() => renewLeasesSqlite(context, node, runIds, until)),
    appendLog: (runId, input) =>
      exclusive(() => context.transaction(() => appendLogSqlite(context, runId, input))),
    // A read: the mutex keeps other queries of this connection out, no write lock is taken.
    listRecentRuns: (query) => mutex.runExclusive(() => listRecentRunsSqlite(context, query)),
    acquireLease: (input) => exclusive(() => acquireLeaseSqlite(context, input)),
    heartbeatNode: (instanceId, input) => exclusive(() => heartbeatNodeSqlite(context, instanceId, input)),
    // One try, no waiting: whether the write lock can be had now.
    probeWrite: () =>
      mutex.runExclusive(() => {
        context.transaction(() => undefined);
      }),
    readChangeMark: () => exclusive(readChangeMark),
    signals,
    async destroy() {
      signals.close();
      await checkpointer?.stop();
      // Kysely closes the database only if it ever used it; the hot paths may have been the only users.
      await db.destroy();
      await exclusive(() => {
        if (database.isOpen) database.close();
      });
    },
  };
}
