/** Several nodes on one PostgreSQL database. */
import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineClusterSuite } from './cluster-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineClusterSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
