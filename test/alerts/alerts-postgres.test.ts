import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineAlertsSuite } from './alerts-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineAlertsSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});
