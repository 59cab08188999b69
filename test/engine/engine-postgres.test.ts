import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineApiJobFeedSuite } from './api-job-feed-suite.ts';
import { defineCooldownSuite } from './cooldown-suite.ts';
import { defineDispatchSuite } from './dispatch-suite.ts';
import { defineEngineSuite } from './engine-suite.ts';
import { defineFencingSuite } from './fencing-suite.ts';
import { defineStartDeadlineSuite } from './start-deadline-suite.ts';
import { defineIdlePollSuite, defineWakeUpSuite } from './wake-up-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

defineEngineSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});

defineDispatchSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});

defineStartDeadlineSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});

defineFencingSuite('PostgreSQL', async () => {
  await harness.reset();
  return harness.open();
});

defineCooldownSuite('PostgreSQL', () => harness);

defineApiJobFeedSuite('PostgreSQL', () => harness);

defineWakeUpSuite('PostgreSQL', () => harness);

defineIdlePollSuite('PostgreSQL', () => harness);
