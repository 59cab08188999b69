/**
 * The store contract on PostgreSQL: a database cloned from a migrated template for this test
 * file, at CRONPLANE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). If the
 * server cannot be reached the suite fails, saying so.
 */
import { createPostgresHarness } from '../support/postgres.ts';
import { defineStoreContract } from './store-contract.ts';

defineStoreContract('store contract on PostgreSQL', createPostgresHarness);
