/** The HTTP API against a real daemon on SQLite. */
import { after } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineApiSuite } from './api-suite.ts';
import { defineAuthSuite } from './auth-suite.ts';
import { defineQueueFlow } from './queue-flow.ts';
import { definePingSuite } from './ping-suite.ts';
import { defineParamsSuite } from './params-suite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

const freshStore = async (): Promise<string> => {
  await harness.reset();
  return harness.url;
};

defineApiSuite('SQLite', freshStore);
defineAuthSuite('SQLite', freshStore);
defineQueueFlow('SQLite', freshStore);
definePingSuite('SQLite', freshStore);
defineParamsSuite('SQLite', freshStore, (url, text) => harness.query(url, text));
