/**
 * Direct, synchronous access to the SQLite database for the hot paths: statements prepared once
 * and transactions that run start to finish without yielding, so no other query can slip into
 * them. Callers hold the connection mutex (see `NodeSqliteDialect`).
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export class SqliteContext {
  readonly database: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(database: DatabaseSync) {
    this.database = database;
  }

  /** The prepared statement for `sql`, prepared on first use. */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.database.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in a `BEGIN IMMEDIATE` transaction: committed if it returns, rolled back if it throws. */
  transaction<T>(work: () => T): T {
    this.statement('BEGIN IMMEDIATE').run();
    try {
      const result = work();
      this.statement('COMMIT').run();
      return result;
    } catch (error) {
      this.#rollBack();
      throw error;
    }
  }

  /**
   * The same for work that awaits between its statements (to let the event loop run): the caller
   * holds the connection's mutex throughout, so no other query of this connection slips in.
   */
  async transactionAcrossTurns<T>(work: () => Promise<T>): Promise<T> {
    this.statement('BEGIN IMMEDIATE').run();
    try {
      const result = await work();
      this.statement('COMMIT').run();
      return result;
    } catch (error) {
      this.#rollBack();
      throw error;
    }
  }

  #rollBack(): void {
    if (this.database.isTransaction) this.statement('ROLLBACK').run();
  }
}
