import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineFailoverSuite } from './failover-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineFailoverSuite(
  'SQLite',
  async () => {
    await harness.reset();
    return harness.open();
  },
  () => harness.open(),
);
