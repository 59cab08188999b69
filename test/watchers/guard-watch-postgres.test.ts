import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineGuardWatchSuite } from './guard-watch-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineGuardWatchSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});
