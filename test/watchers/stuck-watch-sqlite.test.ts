import { createSqliteHarness } from '../support/sqlite.ts';
import { defineStuckWatchSuite } from './stuck-watch-suite.ts';

defineStuckWatchSuite('SQLite', createSqliteHarness);
