/**
 * A first-come, first-served lock for the one SQLite connection. node:sqlite is synchronous, so a
 * single statement never interleaves; a transaction spans awaits, and everything else must wait
 * until it ends.
 */
export class Mutex {
  #locked = false;
  readonly #waiting: (() => void)[] = [];

  /** Resolves once the lock is held; call the returned function to let the next waiter in. */
  async lock(): Promise<() => void> {
    if (this.#locked) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#locked = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#locked = false;
      else next();
    };
  }

  /** Runs `work` while holding the lock. */
  async runExclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const unlock = await this.lock();
    try {
      return await work();
    } finally {
      unlock();
    }
  }
}
