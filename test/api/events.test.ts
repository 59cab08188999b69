/** The events endpoints on SQLite and on PostgreSQL. */
import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineEventsSuite } from './events-suite.ts';

const sqlite = await createSqliteHarness();
const postgres = await createPostgresHarness();
after(async () => {
  await sqlite.close();
  await postgres.close();
});

defineEventsSuite('SQLite', async () => {
  await sqlite.reset();
  return sqlite.url;
});
defineEventsSuite('PostgreSQL', async () => {
  await postgres.reset();
  return postgres.url;
});
