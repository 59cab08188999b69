/**
 * Applies the PostgreSQL migrations under a session advisory lock, so a second migrator waits
 * and then finds everything recorded. The versions recorded are read once; the missing ones run
 * in one transaction, each recorded before its SQL runs (a first start makes one commit, not one
 * per migration, and a restart that finds all recorded makes none): should two migrators still
 * race (a pooler that breaks session locks), the loser fails on the primary key and rolls back,
 * changing nothing, and so does a migration that fails, with those before it in the transaction.
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
      const recorded = new Set(
        (await client.query<{ version: number }>('SELECT version FROM cp_migrations')).rows.map((row) =>
          Number(row.version),
        ),
      );
      const pending = migrations.filter((migration) => !recorded.has(migration.version));
      if (pending.length > 0) {
        await inTransaction(client, async () => {
          for (const migration of pending) await recordAndRun(client, migration, now);
        });
      }
      return { applied: pending.map(({ version, name }) => ({ version, name })) };
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
  return inTransaction(client, async () => {
    if (options.skipIfRecorded) {
      const recorded = await client.query('SELECT 1 FROM cp_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (recorded.rowCount !== 0) return false;
    }
    await recordAndRun(client, migration, now);
    return true;
  });
}

/** Records the migration (a version already recorded is a conflict), then runs its SQL. */
async function recordAndRun(client: pg.ClientBase, migration: Migration, now: number): Promise<void> {
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
}

/** `work` between BEGIN and COMMIT; ROLLBACK if it throws. */
async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
