/**
 * What the store contract suite needs from a database: a migrated database for the test file,
 * fresh empty ones for migration tests, raw SQL on a separate connection, and a clean-up that
 * fails the file when a store or a socket was left open.
 */
import type { OpenStoreOptions, Store, StoreDialect } from '../../src/store/index.ts';

export interface StoreHarness {
  readonly dialect: StoreDialect;
  /** This test file's database, migrated. */
  readonly url: string;
  /** Opens a store (default: on `url`); the leak guard fails the file if it is not released. */
  open(url?: string, options?: OpenStoreOptions): Promise<Store>;
  /** A new database with no tables at all; removed by `close`. */
  createEmptyDatabase(): Promise<string>;
  /** Empties every table of `url` but the migrations'. */
  reset(): Promise<void>;
  /** Runs SQL on its own connection (not through a store). */
  query<Row = Record<string, unknown>>(url: string, text: string): Promise<Row[]>;
  /** Applies migration `version` again without checking, as a migrator that lost a race would. */
  reapplyMigration(url: string, version: number): Promise<void>;
  /** Removes the databases; throws if a store or a socket was left open. */
  close(): Promise<void>;
}

export type StoreHarnessFactory = () => Promise<StoreHarness>;
