import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineFailoverSuite } from './failover-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineFailoverSuite(
  'PostgreSQL',
  async () => {
    await harness.reset();
    return harness.open();
  },
  () => harness.open(),
);
