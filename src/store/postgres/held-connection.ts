/**
 * A pool connection kept by one hot statement for itself: the runs' insert (the step a run is
 * queued by) and the claim (the step between a run queued and its start) each hold one, taken
 * at their first use and kept, so that they never wait for a free pool connection, never open
 * one, and find their prepared statement planned and the backend's caches warm. Measured at 100
 * runs/s, one at a time: on a connection of the pool that had not claimed yet a claim took 9 to
 * 12 ms (a new backend loads its catalog caches and plans the claim), and 15 to 20 ms more when
 * the pool had to open the connection first; an insert took 1 to 34 ms (median 1.2 to 3 ms) in its
 * first six on each connection (its preparation and the backend's first reads of the tables
 * and indexes it writes; planning it generically from the first cut nothing) against 0.7 to
 * 0.8 ms after. The pool opens connections as the work around a run
 * (its insert, its signal, the last run's finish, the look-ahead) grows, closes those idle for
 * 10 s, and hands out the last one used, so these warm-ups came back all along.
 *
 * One statement at a time uses it; one sent while it is busy (a burst, two claims at once) goes
 * through the pool. A statement that fails on it gives it back to the pool as broken (the pool
 * closes it), as does the connection ending while held, and the next one takes another. Held
 * connections count in the pool's size; a pool too small to spare them holds none (`holds`).
 */
import type pg from 'pg';

/** What a statement is sent on: the held client or the pool. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** How a held connection is set up once taken. */
export interface HeldConnectionOptions {
  /** With false, every statement goes through the pool. */
  readonly holds?: boolean;
  /**
   * Session settings sent once the connection is taken (`SET ...`), for its statements alone:
   * such a connection is never handed back to the pool for others to use (it is closed).
   */
  readonly setup?: string;
}

/** A held client, with the listener that gives it back when its connection ends. */
interface Held {
  readonly client: pg.PoolClient;
  readonly ended: () => void;
}

export class HeldConnection {
  readonly #pool: pg.Pool;
  /** The held client, once taken; undefined until then and after it broke. */
  #held: Held | undefined;
  /** A claim is using it (or taking it). */
  #busy = false;
  #released = false;

  readonly #setup: string | undefined;

  constructor(pool: pg.Pool, options: HeldConnectionOptions = {}) {
    this.#pool = pool;
    this.#released = options.holds === false;
    this.#setup = options.setup;
  }

  /**
   * Sends one statement (`send`) on the held connection, or through the pool while it is busy;
   * `held` says which (a statement prepared for the held connection's settings goes unnamed
   * through the pool).
   */
  async run<Result>(send: (on: Queryable, held: boolean) => Promise<Result>): Promise<Result> {
    if (this.#busy || this.#released) return send(this.#pool, false);
    this.#busy = true;
    let held: Held | undefined;
    try {
      held = this.#held ?? (await this.#take());
      return await send(held.client, true);
    } catch (thrown) {
      // Broken, or in doubt: the pool closes it, the next statement takes another.
      if (held !== undefined) this.#giveBack(held, thrown);
      throw thrown;
    } finally {
      this.#busy = false;
      if (this.#released && this.#held !== undefined) this.#giveBack(this.#held);
    }
  }

  /** Gives the connection back to the pool (before the pool ends: it waits for its clients). */
  release(): void {
    this.#released = true;
    if (!this.#busy && this.#held !== undefined) this.#giveBack(this.#held);
  }

  async #take(): Promise<Held> {
    const client = await this.#pool.connect();
    if (this.#setup !== undefined) {
      try {
        await client.query(this.#setup);
      } catch (thrown) {
        client.release(thrown instanceof Error ? thrown : new Error(String(thrown)));
        throw thrown;
      }
    }
    // Ended by the server or the network while held: given back as broken at once.
    const held: Held = {
      client,
      ended: () => this.#giveBack(held, new Error('the held connection ended')),
    };
    client.once('end', held.ended);
    client.once('error', held.ended);
    this.#held = held;
    return held;
  }

  /** Hands the client back to the pool, once; with a reason, as broken (the pool closes it). */
  #giveBack(held: Held, reason?: unknown): void {
    if (this.#held !== held) return;
    this.#held = undefined;
    held.client.removeListener('end', held.ended);
    held.client.removeListener('error', held.ended);
    // A connection with settings of its own is closed rather than shared with the pool's users.
    if (reason === undefined && this.#setup === undefined) held.client.release();
    else
      held.client.release(
        reason instanceof Error ? reason : new Error(String(reason ?? 'its settings are its own')),
      );
  }
}
