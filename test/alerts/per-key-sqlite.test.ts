import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { definePerKeySuite } from './per-key-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

definePerKeySuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});
