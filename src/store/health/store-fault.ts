/**
 * Whether an error says the store cannot be reached or written right now (a fault that passes:
 * the server is down, the network dropped, another process holds SQLite's write lock), as
 * opposed to a mistake in the request (a constraint, bad SQL) that trying again will not mend.
 * Loops that meet a fault wait and try again; the store health says so once (see
 * `store-health.ts`) instead of every loop logging every attempt.
 */

/** SQLite primary result codes that mean "not now" rather than "never". */
const sqliteFaults: ReadonlyMap<number, string> = new Map([
  [5, 'database is locked (another process holds the write lock)'],
  [6, 'database table is locked'],
  [8, 'database is read-only (file permissions or a read-only file system)'],
  [10, 'disk I/O error'],
  [13, 'database or disk is full'],
  [14, 'unable to open the database file'],
]);

/** PostgreSQL SQLSTATEs (besides class 08, connection exceptions) that mean the server cannot serve now. */
const postgresFaults: ReadonlyMap<string, string> = new Map([
  ['57P01', 'the server is shutting down'],
  ['57P02', 'the server crashed'],
  ['57P03', 'the server is starting up or in recovery'],
  ['53300', 'too many connections'],
  ['53100', 'the server disk is full'],
  ['25006', 'the server is read-only'],
]);

/** Socket errors (Node's `code`) of a connection that failed or broke. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages `pg` gives a connection that broke or could not be made (they carry no code). */
const pgConnectionMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Client was closed and is not queryable/,
];

/**
 * The reason the store cannot serve, for logs and `/readyz` ("database is locked (another
 * process holds the write lock)", "connect ECONNREFUSED 127.0.0.1:5432"), or undefined when the
 * error is not a store fault. Looks through `cause` chains and aggregate errors.
 */
export function storeFaultOf(thrown: unknown): string | undefined {
  const seen = new Set<unknown>();
  const look = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
    seen.add(value);
    const error = value as {
      code?: unknown;
      errcode?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    const message = typeof error.message === 'string' ? error.message : '';
    if (error.code === 'ERR_SQLITE_ERROR' && typeof error.errcode === 'number') {
      return sqliteFaults.get(error.errcode & 0xff);
    }
    if (typeof error.code === 'string') {
      if (socketCodes.has(error.code)) return message === '' ? error.code : message;
      if (error.code.startsWith('08')) return `connection failure (${error.code}): ${message}`;
      const known = postgresFaults.get(error.code);
      if (known !== undefined) return `${known} (${error.code})`;
    }
    if (pgConnectionMessages.some((pattern) => pattern.test(message))) return message;
    if (Array.isArray(error.errors)) {
      for (const inner of error.errors) {
        const found = look(inner);
        if (found !== undefined) return found;
      }
    }
    return look(error.cause);
  };
  return look(thrown);
}

/** Whether an error is a store fault (see `storeFaultOf`). */
export function isStoreFault(thrown: unknown): boolean {
  return storeFaultOf(thrown) !== undefined;
}
