import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineMonitorAlertsSuite } from './monitor-alerts-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineMonitorAlertsSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
