import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineExecSuite } from './exec-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineExecSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
