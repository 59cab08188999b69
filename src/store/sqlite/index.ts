/** SQLite on node:sqlite: the Kysely dialect and the store backend. */
export { NodeSqliteDialect, openNodeSqliteDatabase } from './node-sqlite-dialect.ts';
export type { NodeSqliteDialectConfig, OpenNodeSqliteOptions } from './node-sqlite-dialect.ts';
export { Mutex } from './mutex.ts';
export { openSqliteBackend } from './open-sqlite-backend.ts';
export type { SqliteBackendOptions } from './open-sqlite-backend.ts';
export {
  applySqliteMigration,
  loadSqliteMigrations,
  migrateSqlite,
  sqliteMigrationsFolder,
} from './migrate.ts';
