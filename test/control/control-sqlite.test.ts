/** The Control contract on SQLite: in a node, on a store alone (the CLI's), and over HTTP. */
import { after, before } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { defineControlSuite } from './control-suite.ts';
import { defineHistorySuite } from './history-suite.ts';
import { defineOverviewSuite } from './overview-suite.ts';

let harness: StoreHarness;
before(async () => {
  harness = await createSqliteHarness();
});
after(() => harness.close());

defineControlSuite('local-node', 'SQLite', () => harness);
defineHistorySuite('local-node', 'SQLite', () => harness);
defineOverviewSuite('local-node', 'SQLite', () => harness);
defineControlSuite('local-store', 'SQLite', () => harness);
defineHistorySuite('local-store', 'SQLite', () => harness);
defineOverviewSuite('local-store', 'SQLite', () => harness);
defineControlSuite('http', 'SQLite', () => harness);
defineHistorySuite('http', 'SQLite', () => harness);
defineOverviewSuite('http', 'SQLite', () => harness);
