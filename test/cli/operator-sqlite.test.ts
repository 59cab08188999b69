import { createSqliteHarness } from '../support/sqlite.ts';
import { defineOperatorSuite } from './operator-suite.ts';

defineOperatorSuite('SQLite', createSqliteHarness);
