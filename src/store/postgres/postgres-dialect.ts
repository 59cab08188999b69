/**
 * PostgreSQL through `pg`: a pool whose BIGINT (int8) columns read as JS numbers (times are
 * epoch milliseconds and ids stay far below 2^53), and Kysely's own PostgresDialect over it.
 * The type parser is set on this pool only, never globally on `pg`.
 *
 * The pool's sessions plan with `random_page_cost = 1.1` (PostgreSQL's default, 4, prices a page
 * read out of order as a disk seek). The rows the hot paths touch are recent ones, in memory, and
 * `runs` may have no statistics yet (never analysed: a new store, or autovacuum off): with the
 * default, a batched finish of 256 runs in a table of 20,000 read every row of the table (a
 * sequential scan looked cheaper than 256 primary-key lookups presumed scattered); at 1.1 it looks
 * them up by primary key, and the server's CPU for the finish fell by about a sixth
 * (docs/store.md#throughput). The claim's generic plan, kept for the connection's life once
 * chosen, no longer depends on the table's size when it was made (made at 1,000 rows, it
 * scanned the whole table at every later claim).
 * A connection string that carries its own `options` replaces this one.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../schema.ts';

const int8Oid = 20;

/** Connections in the pool unless told otherwise. */
export const defaultPoolSize = 10;

export interface PostgresPoolOptions {
  /** Connections in the pool (default 10); the insert and the claim hold one each from 4 on, the finish from 5. */
  readonly poolSize?: number;
  /** Called when an idle connection fails (the server restarted); the pool drops it and reconnects. */
  readonly onIdleError?: (error: Error) => void;
}

/** Settings of every session of the pool, sent at connection (no round trip of its own). */
export const postgresSessionOptions = '-c random_page_cost=1.1';

export function createPostgresPool(connectionString: string, options: PostgresPoolOptions = {}): pg.Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(int8Oid, (value: string) => Number(value));
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? defaultPoolSize,
    types,
    application_name: 'cronplane',
    options: postgresSessionOptions,
    // A server that does not answer (a dropped network) fails a connection attempt after 5 s
    // instead of the operating system's minutes, so the loops' back-off and /readyz see it.
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    // An idle node's lease, heartbeat and polls overlap now and then and open another
    // connection; closed after pg's default 10 s idle, it was opened again moments later (a
    // server process started each time). The pool keeps two (held ones count, see
    // held-connection.ts); more are closed after a minute idle.
    min: Math.min(2, options.poolSize ?? 10),
    idleTimeoutMillis: 60_000,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  // A connection that breaks while a query holds it (the server went away) fails that query and
  // then emits 'error' on its client, which the pool listens to only while the client is idle:
  // unheard, it would crash the process. The query's caller has the error already.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createPostgresKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
