/**
 * The one writer of `jobs` rows, for the job file's sync and for jobs defined through the API: a
 * new row, or the row's definition (hash, spec) rewritten and the job back in the list. The pause
 * flag and the creation time are the row's own and survive a rewrite.
 *
 * PostgreSQL takes 2,000 rows per statement (14,000 of its 65,535 parameters), SQLite 500. A
 * first sync of 100,000 jobs sends about 100 MB of specs, and the server's writing of them, not
 * Node, is most of its time. `unnest` of text arrays was measured slower here: pg escapes each
 * spec again into an array literal, which costs more than the statements it saves. Building the
 * next statement while the server writes the last saved CPU but not time, and raised the peak.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { StoreDialect } from '../store.ts';

/** One job's row as written. */
export interface JobRowWrite {
  readonly name: string;
  readonly configHash: string;
  /** Read once, when the row is written (a spec is built only for a job written). */
  readonly specJson: string;
  readonly at: number;
}

/** Rows per statement, 7 parameters each (SQLite allows 32,766 parameters; PostgreSQL 65,535). */
const rowsPerStatement: { readonly [Dialect in StoreDialect]: number } = { sqlite: 500, postgres: 2_000 };

export async function upsertJobRows(
  db: Kysely<Database>,
  dialect: StoreDialect,
  rows: readonly JobRowWrite[],
): Promise<void> {
  const chunk = rowsPerStatement[dialect];
  for (let start = 0; start < rows.length; start += chunk)
    await upsertStatement(db, rows.slice(start, start + chunk)).execute();
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
