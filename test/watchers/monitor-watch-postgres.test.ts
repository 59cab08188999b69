import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineMonitorWatchSuite } from './monitor-watch-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineMonitorWatchSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});
