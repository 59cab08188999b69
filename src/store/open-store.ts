/**
 * Opens the store a URL names and brings its schema up to date:
 *
 * - `sqlite:./data/cronplane.db` (a file; its own folder is created if its parent exists), `sqlite:///var/lib/x.db`
 * - `sqlite::memory:` (gone when released; for tests and dry runs)
 * - `postgres://user@host:5432/db` or `postgresql://...` (any libpq-style connection URL)
 */
import { CronplaneError } from '../errors/index.ts';
import { openPostgresBackend } from './postgres/open-postgres-backend.ts';
import { createSqlStore } from './sql-store.ts';
import { openSqliteBackend } from './sqlite/open-sqlite-backend.ts';
import type { StoreBackend } from './store-backend.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
  /** PostgreSQL: connections in the pool (default 10). */
  readonly poolSize?: number;
  /** SQLite: how long to wait for another process's write lock (default 5,000 ms). */
  readonly busyTimeoutMs?: number;
}

export const acceptedStoreUrls = [
  'sqlite:./data/cronplane.db',
  'sqlite::memory:',
  'postgres://user@host:5432/db',
];

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string };

/** Reads a store URL; throws `store.url` naming the accepted forms. */
export function parseStoreUrl(url: string): StoreLocation {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { kind: 'postgres', connectionString: url };
  }
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path !== '') return { kind: 'sqlite', path };
  }
  throw new CronplaneError(
    'store.url',
    `Store URL ${JSON.stringify(redactUrl(url))} is not one cronplane can open; ` +
      `expected ${acceptedStoreUrls.join(', ')} (or postgresql://...).`,
    { location: { path: 'store' } },
  );
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url);
  let backend: StoreBackend;
  switch (location.kind) {
    case 'sqlite':
      backend = openSqliteBackend(
        location.path,
        options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
      );
      break;
    case 'postgres':
      backend = openPostgresBackend(
        location.connectionString,
        options.poolSize === undefined ? {} : { poolSize: options.poolSize },
      );
      break;
    default:
      throw new Error(`Unhandled store kind ${JSON.stringify(location satisfies never)}`);
  }
  const store = createSqlStore(backend);
  if (options.migrate ?? true) {
    try {
      await store.migrate();
    } catch (error) {
      await store.release();
      throw error;
    }
  }
  return store;
}

/** The URL without a password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}
