import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineApiJobFeedSuite } from './api-job-feed-suite.ts';
import { defineCooldownSuite } from './cooldown-suite.ts';
import { defineDispatchSuite } from './dispatch-suite.ts';
import { defineEngineSuite } from './engine-suite.ts';
import { defineFencingSuite } from './fencing-suite.ts';
import { defineStartDeadlineSuite } from './start-deadline-suite.ts';
import { defineIdlePollSuite, defineWakeUpSuite } from './wake-up-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineEngineSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});

defineDispatchSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});

defineStartDeadlineSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});

defineFencingSuite('SQLite', async () => {
  await harness.reset();
  return harness.open();
});

defineCooldownSuite('SQLite', () => harness);

defineApiJobFeedSuite('SQLite', () => harness);

defineWakeUpSuite('SQLite', () => harness);

defineIdlePollSuite('SQLite', () => harness);
