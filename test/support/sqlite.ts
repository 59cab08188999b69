/**
 * SQLite for the store tests: a temporary folder per test file holding its database files,
 * removed by `close`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openStore } from '../../src/store/index.ts';
import { applySqliteMigration, loadSqliteMigrations } from '../../src/store/sqlite/index.ts';
import { LeakGuard } from './leak-guard.ts';
import type { StoreHarness } from './store-harness.ts';

/** Tables the tests empty between tests, children first. */
export const storeTables = [
  'run_transitions',
  'run_logs',
  'run_metrics',
  'events',
  'monitor_pings',
  'monitors',
  'runs',
  'jobs',
  'schedule_state',
  'leases',
  'nodes',
  'api_tokens',
  'audit_log',
  'api_jobs',
  'api_job_versions',
] as const;

export async function createSqliteHarness(): Promise<StoreHarness> {
  const folder = await mkdtemp(join(tmpdir(), 'cronplane-store-'));
  const guard = new LeakGuard();
  let databases = 0;
  const pathOf = (url: string): string => url.slice('sqlite:'.length);
  const withDatabase = <T>(url: string, work: (database: DatabaseSync) => T): T => {
    const database = new DatabaseSync(pathOf(url), { timeout: 5000 });
    try {
      return work(database);
    } finally {
      database.close();
    }
  };
  const url = `sqlite:${join(folder, 'store.db')}`;
  // Migrate the file's database once, as a template clone would be on PostgreSQL.
  await (await openStore(url)).release();

  return {
    dialect: 'sqlite',
    url,
    async open(target = url, options = {}) {
      return guard.track(await openStore(target, options));
    },
    async createEmptyDatabase() {
      databases += 1;
      return `sqlite:${join(folder, `empty-${databases}.db`)}`;
    },
    async reset() {
      withDatabase(url, (database) => {
        database.exec(storeTables.map((table) => `DELETE FROM ${table};`).join(' '));
      });
    },
    async query<Row>(target: string, text: string): Promise<Row[]> {
      return withDatabase(target, (database) => database.prepare(text).all() as Row[]);
    },
    async reapplyMigration(target: string, version: number) {
      const migration = (await loadSqliteMigrations()).find((candidate) => candidate.version === version);
      if (migration === undefined) throw new Error(`no migration ${version}`);
      withDatabase(target, (database) => {
        applySqliteMigration(database, migration, Date.now(), { skipIfRecorded: false });
      });
    },
    async close() {
      try {
        await guard.check();
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}
