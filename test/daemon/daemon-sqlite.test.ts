import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineDaemonSuite } from './daemon-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineDaemonSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
