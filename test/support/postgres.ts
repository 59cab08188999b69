/**
 * PostgreSQL for the store tests: each test file gets its own database cloned from a template
 * that already has the migrations applied (cloning takes milliseconds; migrating takes longer),
 * and drops it at the end. The template's name carries a hash of the migration files, so a
 * changed migration builds a new one. When the server cannot be reached, the harness throws:
 * PostgreSQL tests fail loudly, they never skip.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/store/index.ts';
import { applyPostgresMigration, loadPostgresMigrations } from '../../src/store/postgres/index.ts';
import { LeakGuard } from './leak-guard.ts';
import type { StoreHarness } from './store-harness.ts';
import { storeTables } from './sqlite.ts';

/** Tables emptied between tests: those of both stores, and PostgreSQL's fire keys (migration 025). */
const postgresStoreTables = [...storeTables, 'run_fire_keys'] as const;

/** The server the PostgreSQL tests use: `CRONPLANE_TEST_PG_URL`, else the local one. */
export const postgresTestUrl =
  process.env['CRONPLANE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Serialises template building between test files running at once. */
const templateLockKey = 4_242_061_202;

function databaseUrl(name: string): string {
  const url = new URL(postgresTestUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL is not reachable at ${connectionString}: ${String(error)}. The PostgreSQL store tests need ` +
        'a server: start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or ' +
        'point CRONPLANE_TEST_PG_URL at one.',
      { cause: error },
    );
  }
  return client;
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(connectionString);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The migrated template for the current migration files, built once per server. */
async function ensureTemplate(admin: pg.Client): Promise<string> {
  const migrations = await loadPostgresMigrations();
  const hash = createHash('sha256');
  for (const migration of migrations) hash.update(`${migration.version}:${migration.sql}`);
  const template = `cronplane_template_${hash.digest('hex').slice(0, 12)}`;
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
  if (exists.rowCount !== 0) return template;
  // Built under another name and renamed, so a half-built template is never cloned.
  const building = `${template}_building`;
  await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${building}`);
  await (await openStore(databaseUrl(building))).release();
  await retryWhileInUse(() => admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`));
  // Templates of older migration files.
  const stale = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'cronplane\\_template\\_%' AND datname <> $1",
    [template],
  );
  for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  return template;
}

/** A released pool's sessions end on the server a moment later; until then the database is in use. */
async function retryWhileInUse<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: unknown }).code !== '55006' || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export async function createPostgresHarness(): Promise<StoreHarness> {
  const guard = new LeakGuard();
  const prefix = `cronplane_test_${randomBytes(5).toString('hex')}`;
  const databases: string[] = [];
  const name = prefix;
  await withClient(postgresTestUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [templateLockKey]);
    try {
      const template = await ensureTemplate(admin);
      await retryWhileInUse(() => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      databases.push(name);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [templateLockKey]);
    }
  });
  const url = databaseUrl(name);

  return {
    dialect: 'postgres',
    url,
    async open(target = url, options = {}) {
      return guard.track(await openStore(target, options));
    },
    async createEmptyDatabase() {
      const empty = `${prefix}_empty_${databases.length}`;
      await withClient(postgresTestUrl, (admin) => admin.query(`CREATE DATABASE ${empty}`));
      databases.push(empty);
      return databaseUrl(empty);
    },
    async reset() {
      await withClient(url, (client) =>
        client.query(`TRUNCATE ${postgresStoreTables.join(', ')} RESTART IDENTITY`),
      );
    },
    async query<Row>(target: string, text: string): Promise<Row[]> {
      return withClient(target, async (client) => (await client.query(text)).rows as Row[]);
    },
    async reapplyMigration(target: string, version: number) {
      const migration = (await loadPostgresMigrations()).find((candidate) => candidate.version === version);
      if (migration === undefined) throw new Error(`no migration ${version}`);
      await withClient(target, (client) =>
        applyPostgresMigration(client, migration, Date.now(), { skipIfRecorded: false }),
      );
    },
    async close() {
      try {
        await guard.check();
      } finally {
        await withClient(postgresTestUrl, async (admin) => {
          for (const database of databases)
            await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        });
      }
    },
  };
}
