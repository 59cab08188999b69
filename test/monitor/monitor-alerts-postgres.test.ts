import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineMonitorAlertsSuite } from './monitor-alerts-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineMonitorAlertsSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
