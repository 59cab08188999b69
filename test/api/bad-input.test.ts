/** The bad-input suite on SQLite and on PostgreSQL. */
import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineBadInputSuite } from './bad-input-suite.ts';

const sqlite = await createSqliteHarness();
const postgres = await createPostgresHarness();
after(async () => {
  await sqlite.close();
  await postgres.close();
});

defineBadInputSuite('SQLite', async () => {
  await sqlite.reset();
  return sqlite.url;
});
defineBadInputSuite('PostgreSQL', async () => {
  await postgres.reset();
  return postgres.url;
});
