/**
 * Migrations are numbered plain SQL files per dialect (`sqlite/migrations/001_initial.sql`).
 * Each is applied in its own transaction that first records it in `cp_migrations`: two
 * migrators racing collide on that primary key and the loser rolls back, changing nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { CronplaneError } from '../errors/index.ts';

export interface Migration {
  readonly version: number;
  /** The file name without number and extension: `initial`. */
  readonly name: string;
  readonly sql: string;
}

const migrationFile = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** Reads a dialect's migrations folder, oldest first. */
export async function loadMigrations(folder: URL): Promise<readonly Migration[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = migrationFile.exec(file);
    if (match === null) {
      throw new CronplaneError(
        'store.migration',
        `Migration file ${file} is not named NNN_name.sql (digits, underscore, lower-case name).`,
        { location: { file: new URL(file, folder).pathname } },
      );
    }
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous !== undefined && previous.version === version) {
      throw new CronplaneError('store.migration', `Two migration files have version ${version}.`, {
        location: { file: new URL(file, folder).pathname },
      });
    }
    migrations.push({ version, name: match[2] ?? '', sql: await readFile(new URL(file, folder), 'utf8') });
  }
  return migrations;
}

/** The error a migrator gets when another one recorded the same version first. */
export function migrationConflict(migration: Migration, cause: unknown): CronplaneError {
  return new CronplaneError(
    'store.migration_conflict',
    `Migration ${migration.version} (${migration.name}) was recorded by another migrator at the same time; ` +
      `this one rolled back. Open the store again to continue with the migrated schema.`,
    { cause, retryable: true },
  );
}

export function migrationFailed(migration: Migration, cause: unknown): CronplaneError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new CronplaneError(
    'store.migration',
    `Migration ${migration.version} (${migration.name}) failed and was rolled back: ${message}`,
    { cause },
  );
}
