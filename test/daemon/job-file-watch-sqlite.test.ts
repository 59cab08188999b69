import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineJobFileWatchSuite } from './job-file-watch-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineJobFileWatchSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
