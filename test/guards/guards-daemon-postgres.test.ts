import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineGuardsDaemonSuite } from './guards-daemon-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineGuardsDaemonSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
