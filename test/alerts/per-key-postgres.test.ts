import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { definePerKeySuite } from './per-key-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

definePerKeySuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});
