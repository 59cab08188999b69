/**
 * A Kysely dialect over Node's built-in `node:sqlite` (`DatabaseSync`). Kysely's own SQLite
 * adapter, introspector and query compiler do the SQL; this file only supplies the driver and
 * its one connection.
 *
 * node:sqlite is synchronous and this is a single connection, so every acquisition of the
 * connection (a query, or a whole transaction spanning awaits) holds a mutex; code that uses the
 * `DatabaseSync` directly takes the same mutex. Transactions begin IMMEDIATE: they take the write
 * lock up front, so two processes never deadlock upgrading a read lock. A statement that finds
 * another process holding the write lock is tried again asynchronously (`retryWhileBusy`), so
 * waiting for the lock never freezes the event loop for more than `statementBusyMs`.
 */
import { DatabaseSync } from 'node:sqlite';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
} from 'kysely';
import { Mutex } from './mutex.ts';
import { defaultBusyBudgetMs, retryWhileBusy, statementBusyMs } from './retry-while-busy.ts';

export interface NodeSqliteDialectConfig {
  /** An open database (see `openNodeSqliteDatabase`). The dialect closes it on destroy. */
  readonly database: DatabaseSync;
  /** Share it with code that uses `database` directly, so both take turns. */
  readonly mutex?: Mutex;
  /** Prepared statements kept per SQL text (default 256). */
  readonly statementCacheSize?: number;
  /** How long a query waits in all for another process's write lock (default 1,000 ms). */
  readonly busyBudgetMs?: number;
}

export interface OpenNodeSqliteOptions {
  /**
   * How long one statement blocks waiting for another process's write lock (SQLite's busy
   * timeout; default `statementBusyMs`, 10 ms). Longer waits are asynchronous: see `retryWhileBusy`.
   */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens a database file (or `:memory:`) with the settings cronplane relies on: WAL, NORMAL
 * synchronisation (durable across process crashes; a power cut may lose the last commits),
 * foreign keys on, and a busy timeout.
 */
export function openNodeSqliteDatabase(location: string, options: OpenNodeSqliteOptions = {}): DatabaseSync {
  const busyTimeoutMs = options.busyTimeoutMs ?? statementBusyMs;
  const database = new DatabaseSync(location, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  try {
    database.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; ` +
        `PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)};`,
    );
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

export class NodeSqliteDialect implements Dialect {
  readonly #config: NodeSqliteDialectConfig;

  constructor(config: NodeSqliteDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new NodeSqliteDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

class NodeSqliteDriver implements Driver {
  readonly #database: DatabaseSync;
  readonly #mutex: Mutex;
  readonly #connection: NodeSqliteConnection;
  #unlock: (() => void) | undefined;

  constructor(config: NodeSqliteDialectConfig) {
    this.#database = config.database;
    this.#mutex = config.mutex ?? new Mutex();
    this.#connection = new NodeSqliteConnection(
      config.database,
      config.statementCacheSize ?? 256,
      config.busyBudgetMs ?? defaultBusyBudgetMs,
    );
  }

  async init(): Promise<void> {
    // The database is opened by the caller.
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#unlock = await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(savepointName)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(savepointName)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(savepointName)}`));
  }

  async releaseConnection(): Promise<void> {
    const unlock = this.#unlock;
    this.#unlock = undefined;
    unlock?.();
  }

  async destroy(): Promise<void> {
    await this.#mutex.runExclusive(() => {
      if (this.#database.isOpen) this.#database.close();
    });
  }
}

interface CachedStatement {
  readonly statement: StatementSync;
  /** Column names of a statement that returns rows (a select, or anything with RETURNING); else null. */
  readonly columns: readonly string[] | null;
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync;
  readonly #cache = new Map<string, CachedStatement>();
  readonly #cacheSize: number;
  readonly #busyBudgetMs: number;

  constructor(database: DatabaseSync, cacheSize: number, busyBudgetMs: number) {
    this.#database = database;
    this.#cacheSize = cacheSize;
    this.#busyBudgetMs = busyBudgetMs;
  }

  /** The connection is held (the driver's mutex) while this waits: nothing can slip in between tries. */
  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return retryWhileBusy(() => this.#execute<R>(compiledQuery), this.#busyBudgetMs);
  }

  #execute<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const { statement, columns } = this.#prepare(compiledQuery.sql);
    const parameters = toSqliteParameters(compiledQuery.parameters);
    if (columns !== null) {
      const rows = statement.all(...parameters) as unknown as unknown[][];
      return { rows: rows.map((values) => toObject(columns, values) as R) };
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { statement, columns } = this.#prepare(compiledQuery.sql);
    for (const values of statement.iterate(...toSqliteParameters(compiledQuery.parameters))) {
      yield { rows: [toObject(columns ?? [], values as unknown as unknown[]) as R] };
    }
  }

  #prepare(sql: string): CachedStatement {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    const statement = this.#database.prepare(sql);
    const columns = statement.columns().map((column) => column.name);
    // Rows as arrays, made into objects here: node:sqlite builds objects several times slower.
    statement.setReturnArrays(true);
    const entry = { statement, columns: columns.length > 0 ? columns : null };
    if (this.#cache.size >= this.#cacheSize) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(sql, entry);
    return entry;
  }
}

function toObject(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let index = 0; index < columns.length; index++) row[columns[index] as string] = values[index];
  return row;
}

/** SQLite stores booleans as 1 and 0; node:sqlite binds the rest as given. */
function toSqliteParameters(parameters: readonly unknown[]): SQLInputValue[] {
  return parameters.map((value) => {
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value as SQLInputValue;
  });
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
