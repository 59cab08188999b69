/** The Control contract on PostgreSQL: in a node, on a store alone (the CLI's), and over HTTP. */
import { after, before } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { defineControlSuite } from './control-suite.ts';
import { defineHistorySuite } from './history-suite.ts';
import { defineOverviewSuite } from './overview-suite.ts';

let harness: StoreHarness;
before(async () => {
  harness = await createPostgresHarness();
});
after(() => harness.close());

defineControlSuite('local-node', 'PostgreSQL', () => harness);
defineHistorySuite('local-node', 'PostgreSQL', () => harness);
defineOverviewSuite('local-node', 'PostgreSQL', () => harness);
defineControlSuite('local-store', 'PostgreSQL', () => harness);
defineHistorySuite('local-store', 'PostgreSQL', () => harness);
defineOverviewSuite('local-store', 'PostgreSQL', () => harness);
defineControlSuite('http', 'PostgreSQL', () => harness);
defineHistorySuite('http', 'PostgreSQL', () => harness);
defineOverviewSuite('http', 'PostgreSQL', () => harness);
