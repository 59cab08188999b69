import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineGuardsDaemonSuite } from './guards-daemon-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineGuardsDaemonSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
