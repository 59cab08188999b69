import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineAlertsSuite } from './alerts-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineAlertsSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});
