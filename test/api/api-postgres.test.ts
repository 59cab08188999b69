/** The HTTP API against a real daemon on PostgreSQL (CRONPLANE_TEST_PG_URL). */
import { after } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { defineApiSuite } from './api-suite.ts';
import { defineAuthSuite } from './auth-suite.ts';
import { defineQueueFlow } from './queue-flow.ts';
import { definePingSuite } from './ping-suite.ts';
import { defineParamsSuite } from './params-suite.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

const freshStore = async (): Promise<string> => {
  await harness.reset();
  return harness.url;
};

defineApiSuite('PostgreSQL', freshStore);
defineAuthSuite('PostgreSQL', freshStore);
defineQueueFlow('PostgreSQL', freshStore);
definePingSuite('PostgreSQL', freshStore);
defineParamsSuite('PostgreSQL', freshStore, (url, text) => harness.query(url, text));
