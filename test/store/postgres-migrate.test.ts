/**
 * The PostgreSQL migrator's own behaviour, with migrations made up for the test on an empty
 * database: the missing ones run in one transaction, so a failure leaves none of them behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const good = (version: number) => ({
  version,
  name: `t${version}`,
  sql: `CREATE TABLE t${version} (x INTEGER)`,
});

describe('the PostgreSQL migrator', () => {
  let harness: StoreHarness;
  before(async () => {
    harness = await createPostgresHarness();
  });
  after(async () => {
    await harness.close();
  });

  async function withPool<T>(work: (pool: pg.Pool, url: string) => Promise<T>): Promise<T> {
    const url = await harness.createEmptyDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      return await work(pool, url);
    } finally {
      await pool.end();
    }
  }

  const tablesIn = async (url: string) =>
    (
      await harness.query<{ table_name: string }>(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      )
    ).map((row) => row.table_name);

  it('runs only the migrations not yet recorded, and records each', async () => {
    await withPool(async (pool, url) => {
      assert.deepEqual((await migratePostgres(pool, [good(1), good(2)], 10)).applied, [
        { version: 1, name: 't1' },
        { version: 2, name: 't2' },
      ]);
      assert.deepEqual((await migratePostgres(pool, [good(1), good(2), good(3)], 20)).applied, [
        { version: 3, name: 't3' },
      ]);
      assert.deepEqual((await migratePostgres(pool, [good(1), good(2), good(3)], 30)).applied, []);
      const recorded = await harness.query<{ version: number; applied_at: string }>(
        url,
        'SELECT version, applied_at FROM cp_migrations ORDER BY version',
      );
      assert.deepEqual(
        recorded.map((row) => [Number(row.version), Number(row.applied_at)]),
        [
          [1, 10],
          [2, 10],
          [3, 20],
        ],
      );
      assert.deepEqual(await tablesIn(url), ['cp_migrations', 't1', 't2', 't3']);
    });
  });

  it('leaves none of the missing migrations, nor their records, when one of them fails', async () => {
    await withPool(async (pool, url) => {
      await migratePostgres(pool, [good(1)], 10);
      const broken = { version: 3, name: 'broken', sql: 'CREATE TABLE t3 (x INTEGER); SELECT 1 / 0' };
      await assert.rejects(
        migratePostgres(pool, [good(1), good(2), broken, good(4)], 20),
        (error: unknown) => {
          assert.equal((error as { code?: unknown }).code, 'store.migration');
          assert.match((error as Error).message, /Migration 3 \(broken\) failed/);
          return true;
        },
      );
      assert.deepEqual(await tablesIn(url), ['cp_migrations', 't1']);
      const recorded = await harness.query<{ version: number }>(url, 'SELECT version FROM cp_migrations');
      assert.deepEqual(
        recorded.map((row) => Number(row.version)),
        [1],
      );
      // The pool's connections are still good: the next migration of a mended list goes through.
      assert.deepEqual((await migratePostgres(pool, [good(1), good(2)], 30)).applied, [
        { version: 2, name: 't2' },
      ]);
    });
  });
});
