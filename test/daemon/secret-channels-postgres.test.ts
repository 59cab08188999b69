import { createPostgresHarness } from '../support/postgres.ts';
import { defineSecretChannelsSuite } from './secret-channels-suite.ts';

defineSecretChannelsSuite('PostgreSQL', createPostgresHarness);
