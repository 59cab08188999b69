import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineJobFileWatchSuite } from './job-file-watch-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineJobFileWatchSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
