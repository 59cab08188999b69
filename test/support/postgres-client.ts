/**
 * One `pg` client on the test server for the tests of one file: connected before them, ended
 * after them. For tests that only ask the server to read values back (no store, no database of
 * their own).
 */
import { after, before } from 'node:test';
import pg from 'pg';
import { postgresTestUrl } from './postgres.ts';

/** Registers the `before` and `after` hooks; call the returned function inside the tests. */
export function usePostgresClient(): () => pg.Client {
  let client: pg.Client | undefined;
  before(async () => {
    client = new pg.Client({ connectionString: postgresTestUrl });
    await client.connect();
  });
  after(async () => {
    await client?.end();
  });
  return () => {
    if (client === undefined) throw new Error('the PostgreSQL client is connected before the tests');
    return client;
  };
}
