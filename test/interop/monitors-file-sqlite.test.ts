import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineMonitorsFileSuite } from './monitors-file-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineMonitorsFileSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
