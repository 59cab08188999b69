import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineEvidenceSuite } from './evidence-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineEvidenceSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});
