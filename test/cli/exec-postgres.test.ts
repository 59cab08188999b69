import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineExecSuite } from './exec-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineExecSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
