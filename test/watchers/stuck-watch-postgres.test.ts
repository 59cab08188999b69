import { createPostgresHarness } from '../support/postgres.ts';
import { defineStuckWatchSuite } from './stuck-watch-suite.ts';

defineStuckWatchSuite('PostgreSQL', createPostgresHarness);
