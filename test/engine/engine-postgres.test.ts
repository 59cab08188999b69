import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineEngineSuite } from './engine-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineEngineSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});
