/**
 * Applies the PostgreSQL migrations under a session advisory lock, so a second migrator waits
 * and then finds everything recorded. Each migration runs in its own transaction that records
 * it first: should two migrators still race (a pooler that breaks session locks), the loser
 * fails on the primary key and rolls back, changing nothing.
 */
import type pg from 'pg';
import type { Migration } from '../migrations.ts';
import { loadMigrations, migrationConflict, migrationFailed } from '../migrations.ts';
import type { MigrateResult } from '../store.ts';

export const postgresMigrationsFolder = new URL('./migrations/', import.meta.url);

/** `pg_advisory_lock` key held while migrating. */
export const migrationLockKey = 4_242_061_201;

const createMigrationsTable =
  'CREATE TABLE IF NOT EXISTS cp_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, ' +
  'applied_at BIGINT NOT NULL)';

const uniqueViolation = '23505';

export function loadPostgresMigrations(): Promise<readonly Migration[]> {
  return loadMigrations(postgresMigrationsFolder);
}

export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly Migration[],
  now: number,
): Promise<MigrateResult> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await client.query(createMigrationsTable);
      const applied: { version: number; name: string }[] = [];
      for (const migration of migrations) {
        if (await applyPostgresMigration(client, migration, now, { skipIfRecorded: true })) {
          applied.push({ version: migration.version, name: migration.name });
        }
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : undefined;
    throw error;
  } finally {
    // A client whose lock state is unknown is not handed out again.
    client.release(broken);
  }
}

/**
 * Applies one migration in its own transaction, recording it first. With `skipIfRecorded` it
 * returns false when the version is already recorded; without, it fails as a racing migrator
 * would: `store.migration_conflict`, nothing changed.
 */
export async function applyPostgresMigration(
  client: pg.ClientBase,
  migration: Migration,
  now: number,
  options: { readonly skipIfRecorded: boolean },
): Promise<boolean> {
  await client.query(createMigrationsTable);
  await client.query('BEGIN');
  try {
    if (options.skipIfRecorded) {
      const recorded = await client.query('SELECT 1 FROM cp_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (recorded.rowCount !== 0) {
        await client.query('COMMIT');
        return false;
      }
    }
    try {
      await client.query('INSERT INTO cp_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        now,
      ]);
    } catch (error) {
      throw (error as { code?: unknown }).code === uniqueViolation
        ? migrationConflict(migration, error)
        : error;
    }
    try {
      // No parameters: the simple query protocol, which runs a file of statements.
      await client.query(migration.sql);
    } catch (error) {
      throw migrationFailed(migration, error);
    }
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
