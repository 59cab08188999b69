/**
 * The one writer of `jobs` rows, for the job file's sync and for jobs defined through the API: a
 * new row, or the row's definition (hash, spec) rewritten and the job back in the list. The pause
 * flag and the creation time are the row's own and survive a rewrite.
 *
 * PostgreSQL takes 2,000 rows per statement (14,000 of its 65,535 parameters), and the next
 * statement's rows (their spec texts) are built while the server writes the previous one: a first
 * sync of 100,000 jobs sends 100 MB of specs, and the server's writing, not Node, is most of its
 * time. Its `unnest` of text arrays is no faster here: each spec would be escaped again into an
 * array literal, which costs more than the statements saved. SQLite takes 500 rows per statement.
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
  // One statement at a time on the connection; on PostgreSQL the next is built meanwhile.
  let writing: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < rows.length; start += chunk) {
    const statement = upsertStatement(db, rows.slice(start, start + chunk));
    await writing;
    writing = statement.execute();
    // Awaited at the next part or below; a part that fails to build meanwhile leaves it pending
    // (the transaction rolls back after it) and its own failure is the one reported.
    writing.catch(() => undefined);
    if (dialect === 'sqlite') await writing;
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
