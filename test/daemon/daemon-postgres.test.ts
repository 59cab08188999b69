import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineDaemonSuite } from './daemon-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineDaemonSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
