import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineDaemonWatchersSuite } from './daemon-watchers-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineDaemonWatchersSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
