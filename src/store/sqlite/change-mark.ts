/**
 * SQLite's change mark (`Store.readChangeMark`): the rows this connection has changed since it
 * opened (`total_changes()`, triggers included) and `data_version`, which moves when another
 * connection — a CLI, another process — commits. Together they move with every committed write.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

const changeMarkSql = 'SELECT total_changes() AS changes, data_version AS version FROM pragma_data_version';

/** A reader of the mark on `database`, its statement prepared at the first read. */
export function sqliteChangeMarkReader(database: DatabaseSync): () => string {
  let statement: StatementSync | undefined;
  return () => {
    statement ??= database.prepare(changeMarkSql);
    const row = statement.get() as { changes: number; version: number };
    return `${row.changes}:${row.version}`;
  };
}

/** A reader of `PRAGMA data_version` alone: it moves when another connection commits. */
export function sqliteDataVersionReader(database: DatabaseSync): () => number {
  let statement: StatementSync | undefined;
  return () => {
    statement ??= database.prepare('SELECT data_version AS version FROM pragma_data_version');
    return (statement.get() as { version: number }).version;
  };
}
