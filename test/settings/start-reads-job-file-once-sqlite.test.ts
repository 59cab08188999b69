import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineStartReadsOnceSuite } from './start-reads-job-file-once-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineStartReadsOnceSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
