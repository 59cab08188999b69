/**
 * The claims' own connection: a client taken from the pool at the first claim and kept, so that a
 * worker's claim — the step between a run queued and its start — never waits for a free pool
 * connection, never opens one, and finds its prepared statement and the backend's caches warm.
 * Measured at 100 runs/s, a claim on a connection of the pool that had not claimed yet took 9 to
 * 12 ms (a new backend loads its catalog caches and plans the claim) and one that had to open a
 * connection first 15 to 20 ms more; the pool opens connections as the work around a claim (the
 * insert, its signal, the last run's finish) grows, and closes those idle for 10 s.
 *
 * One claim at a time uses it (a worker claims one claim at a time); a claim made while it is
 * busy, or before it is taken, goes through the pool. A claim that fails on it gives it back to
 * the pool as broken (the pool closes it), as does the connection ending while it waits, and the
 * next claim takes another. The connection counts in the pool's size.
 */
import type pg from 'pg';

/** A client held for claims, with the listener that gives it back when its connection ends. */
interface Held {
  readonly client: pg.PoolClient;
  readonly ended: () => void;
}

export class ClaimConnection {
  readonly #pool: pg.Pool;
  /** The held client, once taken; undefined until then and after it broke. */
  #held: Held | undefined;
  /** A claim is using it (or taking it). */
  #busy = false;
  #released = false;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Sends one statement on the held connection, or through the pool while it is busy. */
  async query<Row extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<Row>> {
    if (this.#busy || this.#released) return this.#pool.query<Row>(config);
    this.#busy = true;
    let held: Held | undefined;
    try {
      held = this.#held ?? (await this.#take());
      return await held.client.query<Row>(config);
    } catch (thrown) {
      // Broken, or in doubt: the pool closes it, the next claim takes another.
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
    // Ended by the server or the network while held: given back as broken at once.
    const held: Held = {
      client,
      ended: () => this.#giveBack(held, new Error('the claim connection ended')),
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
    if (reason === undefined) held.client.release();
    else held.client.release(reason instanceof Error ? reason : new Error(String(reason)));
  }
}
