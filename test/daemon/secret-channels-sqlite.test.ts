import { createSqliteHarness } from '../support/sqlite.ts';
import { defineSecretChannelsSuite } from './secret-channels-suite.ts';

defineSecretChannelsSuite('SQLite', createSqliteHarness);
