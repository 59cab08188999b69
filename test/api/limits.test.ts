/** The API's limits (failed authentication, live streams) on SQLite and on PostgreSQL. */
import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineLimitsSuite } from './limits-suite.ts';

const sqlite = await createSqliteHarness();
const postgres = await createPostgresHarness();
after(async () => {
  await sqlite.close();
  await postgres.close();
});

defineLimitsSuite('SQLite', async () => {
  await sqlite.reset();
  return sqlite.url;
});
defineLimitsSuite('PostgreSQL', async () => {
  await postgres.reset();
  return postgres.url;
});
