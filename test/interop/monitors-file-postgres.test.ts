import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineMonitorsFileSuite } from './monitors-file-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineMonitorsFileSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.url;
});
