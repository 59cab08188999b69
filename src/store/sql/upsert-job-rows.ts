/**
 * The writer of `jobs` rows for jobs defined through the API: a new row, or the row's definition
 * (hash, spec) rewritten and the job back in the list. The pause flag and the creation time are
 * the row's own and survive a rewrite. The job file's sync writes the same upsert its own way on
 * each dialect (`sqlite/sync-jobs.ts`: prepared, a row at a time; `postgres/sync-jobs.ts`: `COPY`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** One job's row as written. */
export interface JobRowWrite {
  readonly name: string;
  readonly configHash: string;
  readonly specJson: string;
  readonly at: number;
}

/** Rows per statement (PostgreSQL allows 65,535 parameters; SQLite 32,766). */
const chunk = 500;

/**
 * Writes the rows 500 a statement, each made from its item (`toRow`) only when its statement is
 * built: a spec is built only for a job written, and only a statement's worth of them at a time.
 * The next statement is built while the database writes the last: on PostgreSQL a first sync of
 * 100,000 jobs spent about as long building its statements (each spec, Kysely's compile) as the
 * server spent writing them, one after the other.
 */
export async function upsertJobRows<T>(
  db: Kysely<Database>,
  items: readonly T[],
  toRow: (item: T) => JobRowWrite,
): Promise<void> {
  let writing: Promise<unknown> | undefined;
  for (let start = 0; start < items.length; start += chunk) {
    const statement = upsertStatement(db, items.slice(start, start + chunk).map(toRow)).compile();
    await writing;
    writing = db.executeQuery(statement);
    // Awaited once the next statement is built; should building it throw, the sync fails with
    // that error and this one must not be left an unhandled rejection.
    writing.catch(() => undefined);
  }
  await writing;
}

function upsertStatement(db: Kysely<Database>, rows: readonly JobRowWrite[]) {
  return db
    .insertInto('jobs')
    .values(
      rows.map((row) => ({
        name: row.name,
        config_hash: row.configHash,
        spec_json: row.specJson,
        paused: false,
        created_at: row.at,
        updated_at: row.at,
        removed_at: null,
      })),
    )
    .onConflict((conflict) =>
      conflict.column('name').doUpdateSet((eb) => ({
        config_hash: eb.ref('excluded.config_hash'),
        spec_json: eb.ref('excluded.spec_json'),
        updated_at: eb.ref('excluded.updated_at'),
        removed_at: null,
      })),
    );
}
