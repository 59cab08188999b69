import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineMonitorWatchSuite } from './monitor-watch-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineMonitorWatchSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});
