import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineEngineSuite } from './engine-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineEngineSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});
