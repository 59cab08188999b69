import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the PostgreSQL tests use; CI starts it if it is down. */
export const testPostgresUrl =
  process.env['CRONPLANE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty database on the test server, for one test file or one test; `drop()` removes
 * it. Fails loudly when the server cannot be reached: PostgreSQL tests never skip silently.
 */
export async function createTestDatabase(
  prefix = 'cronplane_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  try {
    await admin.connect();
  } catch (thrown) {
    throw new Error(
      `PostgreSQL is not reachable at ${testPostgresUrl} (${String(thrown)}); start it or set CRONPLANE_TEST_PG_URL`,
      { cause: thrown },
    );
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
