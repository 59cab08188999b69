import { createPostgresHarness } from '../support/postgres.ts';
import { defineOperatorSuite } from './operator-suite.ts';

defineOperatorSuite('PostgreSQL', createPostgresHarness);
