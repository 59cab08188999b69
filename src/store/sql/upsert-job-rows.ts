/**
 * The one writer of `jobs` rows, for the job file's sync and for jobs defined through the API: a
 * new row, or the row's definition (hash, spec) rewritten and the job back in the list. The pause
 * flag and the creation time are the row's own and survive a rewrite.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** One job's row as written. */
export interface JobRowWrite {
  readonly name: string;
  readonly configHash: string;
  /** Read once, when the row is written (a spec is built only for a job written). */
  readonly specJson: string;
  readonly at: number;
}

/** Rows per statement (PostgreSQL allows 65,535 parameters; SQLite 32,766). */
const chunk = 500;

export async function upsertJobRows(db: Kysely<Database>, rows: readonly JobRowWrite[]): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    await db
      .insertInto('jobs')
      .values(
        rows.slice(start, start + chunk).map((row) => ({
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
      )
      .execute();
  }
}
