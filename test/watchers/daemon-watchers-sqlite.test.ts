import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineDaemonWatchersSuite } from './daemon-watchers-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineDaemonWatchersSuite('SQLite', async () => {
  await harness.reset();
  return harness.url;
});
