/** The store contract on SQLite: a temporary database file for this test file. */
import { createSqliteHarness } from '../support/sqlite.ts';
import { defineStoreContract } from './store-contract.ts';

defineStoreContract('store contract on SQLite (node:sqlite)', createSqliteHarness);
