/** PostgreSQL on pg: the pool and Kysely dialect, and the store backend. */
export { createPostgresPool, createPostgresKysely } from './postgres-dialect.ts';
export type { PostgresPoolOptions } from './postgres-dialect.ts';
export { openPostgresBackend } from './open-postgres-backend.ts';
export {
  applyPostgresMigration,
  loadPostgresMigrations,
  migratePostgres,
  migrationLockKey,
  postgresMigrationsFolder,
} from './migrate.ts';
