import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineGuardWatchSuite } from './guard-watch-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineGuardWatchSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});
