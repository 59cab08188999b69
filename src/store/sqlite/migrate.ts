/**
 * Applies the SQLite migrations. Each runs synchronously in a `BEGIN IMMEDIATE` transaction
 * that holds the database's write lock: another process migrating the same file waits (busy
 * timeout) and then finds the version recorded. Recording the version first is the backstop: a
 * migrator that somehow missed it fails on the primary key and rolls back.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Migration } from '../migrations.ts';
import { loadMigrations, migrationConflict, migrationFailed } from '../migrations.ts';
import type { MigrateResult } from '../store.ts';

export const sqliteMigrationsFolder = new URL('./migrations/', import.meta.url);

const createMigrationsTable =
  'CREATE TABLE IF NOT EXISTS cp_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, ' +
  'applied_at INTEGER NOT NULL) STRICT';

/** Loads the migration files; call before taking the connection (it reads files). */
export function loadSqliteMigrations(): Promise<readonly Migration[]> {
  return loadMigrations(sqliteMigrationsFolder);
}

/** Applies the migrations not yet recorded. Synchronous: the caller holds the connection. */
export function migrateSqlite(
  database: DatabaseSync,
  migrations: readonly Migration[],
  now: number,
): MigrateResult {
  database.exec(createMigrationsTable);
  const applied: { version: number; name: string }[] = [];
  for (const migration of migrations) {
    if (applySqliteMigration(database, migration, now, { skipIfRecorded: true })) {
      applied.push({ version: migration.version, name: migration.name });
    }
  }
  return { applied };
}

/**
 * Applies one migration in its own transaction, recording it first. With `skipIfRecorded` it
 * returns false when the version is already recorded; without, it fails as a racing migrator
 * would: `store.migration_conflict`, nothing changed.
 */
export function applySqliteMigration(
  database: DatabaseSync,
  migration: Migration,
  now: number,
  options: { readonly skipIfRecorded: boolean },
): boolean {
  database.exec(createMigrationsTable);
  // Foreign keys are off while a migration runs, as SQLite's procedure for schema changes asks:
  // a table rebuilt (created anew, copied, the old one dropped) would otherwise take the rows
  // that refer to it with it. They are checked before the commit and turned on again after.
  const foreignKeys = database.prepare('PRAGMA foreign_keys').get()?.foreign_keys === 1;
  if (foreignKeys) database.exec('PRAGMA foreign_keys = OFF');
  try {
    return applyInTransaction(database, migration, now, options);
  } finally {
    if (foreignKeys) database.exec('PRAGMA foreign_keys = ON');
  }
}

function applyInTransaction(
  database: DatabaseSync,
  migration: Migration,
  now: number,
  options: { readonly skipIfRecorded: boolean },
): boolean {
  database.exec('BEGIN IMMEDIATE');
  try {
    if (options.skipIfRecorded) {
      const recorded = database
        .prepare('SELECT 1 AS found FROM cp_migrations WHERE version = ?')
        .get(migration.version);
      if (recorded !== undefined) {
        database.exec('COMMIT');
        return false;
      }
    }
    try {
      database
        .prepare('INSERT INTO cp_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(migration.version, migration.name, now);
    } catch (error) {
      throw migrationConflict(migration, error);
    }
    try {
      database.exec(migration.sql);
      const broken = database.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) {
        throw new Error(`it left ${broken.length} row(s) referring to rows that do not exist`);
      }
    } catch (error) {
      throw migrationFailed(migration, error);
    }
    database.exec('COMMIT');
    return true;
  } catch (error) {
    if (database.isTransaction) database.exec('ROLLBACK');
    throw error;
  }
}
