import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineStartReadsOnceSuite } from './start-reads-job-file-once-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineStartReadsOnceSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
