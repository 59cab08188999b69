/**
 * Store signals on PostgreSQL: `pg_notify` through the pool, and LISTEN on one dedicated
 * connection per store, opened when the first listener comes. When that connection breaks (the
 * server restarted, the connection was killed) it is opened again after the store back-off
 * (100 ms doubling to about 5 s) and listens to its channels again; signals sent meanwhile are
 * not heard, which is why signals are hints (see `store-signals.ts`).
 *
 * The listening connection is sent one query at a time (LISTEN, UNLISTEN, the count of peers):
 * listeners stopping together at shutdown, or a count while a LISTEN is under way, would
 * otherwise find it busy, and `pg`, which queues them itself, warns that doing so is deprecated.
 */
import pg from 'pg';
import { Backoff } from '../../backoff/index.ts';
import { SignalListeners } from '../store-signals.ts';
import type { StoreSignals } from '../store-signals.ts';

/** Channels on the server carry this prefix, so other programs' channels on the database are left alone. */
const channelPrefix = 'cronplane_';
/** The application name of every listening connection, by which stores count each other. */
const applicationName = 'cronplane-signals';

export interface PostgresSignals extends StoreSignals {
  /** Stops listening and closes the connection. */
  close(): Promise<void>;
}

export function createPostgresSignals(connectionString: string, pool: pg.Pool): PostgresSignals {
  const listeners = new SignalListeners();
  const backoff = new Backoff();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  /** Counts the listening connections this store opened: the missed-signal mark. */
  let generation = 0;
  /** Moves the mark on each read while no connection listens: every read may have missed some. */
  let away = 0;
  /** The last query sent on the listening connection: the next one waits for it to settle. */
  let lastQuery: Promise<unknown> = Promise.resolve();

  const quoted = (channel: string): string => `"${channelPrefix}${channel}"`;

  /** Sends a query on `target` once the query before it on the listening connection settled. */
  const inTurn = <Row extends pg.QueryResultRow>(
    target: pg.Client,
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>> => {
    const send = (): Promise<pg.QueryResult<Row>> => target.query<Row>(text, values);
    const result = lastQuery.then(send, send);
    lastQuery = result.catch(() => undefined);
    return result;
  };

  const lost = (broken: pg.Client): void => {
    if (client !== broken) return;
    client = undefined;
    broken.end().catch(() => undefined);
    scheduleReconnect();
  };

  const scheduleReconnect = (): void => {
    if (closed || retry !== undefined || connecting !== undefined || listeners.channels.length === 0) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(() => undefined);
    }, backoff.next());
  };

  const open = async (): Promise<pg.Client> => {
    const next = new pg.Client({
      connectionString,
      application_name: applicationName,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    next.on('notification', (message) => {
      if (!message.channel.startsWith(channelPrefix)) return;
      listeners.deliver(message.channel.slice(channelPrefix.length), message.payload ?? '');
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      for (const channel of listeners.channels) await inTurn(next, `LISTEN ${quoted(channel)}`);
    } catch (thrown) {
      await next.end().catch(() => undefined);
      throw thrown;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      throw new Error('store signals closed');
    }
    return next;
  };

  /** The listening connection, opened (and listening to every channel) if need be. */
  const connect = (): Promise<pg.Client> => {
    if (client !== undefined) return Promise.resolve(client);
    connecting ??= open().then(
      (ready) => {
        connecting = undefined;
        client = ready;
        generation++;
        backoff.reset();
        return ready;
      },
      (thrown: unknown) => {
        connecting = undefined;
        scheduleReconnect();
        throw thrown;
      },
    );
    return connecting;
  };

  return {
    async signal(channel, payload = '') {
      await pool.query('SELECT pg_notify($1, $2)', [channelPrefix + channel, payload]);
    },
    async onSignal(channel, listener) {
      const first = listeners.add(channel, listener);
      const stop = (): void => {
        if (!listeners.remove(channel, listener) || client === undefined) return;
        const current = client;
        inTurn(current, `UNLISTEN ${quoted(channel)}`).catch(() => lost(current));
      };
      try {
        const ready = await connect();
        // LISTEN twice is harmless; a connection opened while this one was added may lack it.
        if (first) await inTurn(ready, `LISTEN ${quoted(channel)}`);
      } catch {
        // Tried again in the background; the caller's poll covers the meantime.
        if (client !== undefined) lost(client);
      }
      return stop;
    },
    async countListeningPeers() {
      // Every store's listening connection carries the same application name. Asked on this
      // store's own listening connection (when it has one), `pg_backend_pid()` leaves that one out.
      const text = `SELECT count(*)::integer AS peers FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`;
      const result =
        client === undefined
          ? await pool.query<{ peers: number }>(text, [applicationName])
          : await inTurn<{ peers: number }>(client, text, [applicationName]);
      return result.rows[0]?.peers ?? 0;
    },
    async readMissedSignalMark() {
      return client === undefined ? `away:${++away}` : `listening:${generation}`;
    },
    async close() {
      closed = true;
      listeners.clear();
      if (retry !== undefined) clearTimeout(retry);
      retry = undefined;
      const pending = connecting;
      const current = client;
      client = undefined;
      await pending?.catch(() => undefined);
      await current?.end().catch(() => undefined);
    },
  };
}
