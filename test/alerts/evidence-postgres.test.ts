import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineEvidenceSuite } from './evidence-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineEvidenceSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});
