/** Several nodes on one SQLite file (one host): the same behaviour as on PostgreSQL. */
import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineClusterSuite } from './cluster-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

defineClusterSuite('SQLite', async () => harness.createEmptyDatabase());
