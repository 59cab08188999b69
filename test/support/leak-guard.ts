/**
 * The leak guard: every store a test opens must be released, and once they are, no socket the
 * file opened may stay open (a pool that was never ended keeps the process alive).
 */
import type { Store } from '../../src/store/index.ts';

export class LeakGuard {
  readonly #open = new Map<Store, string>();
  readonly #socketsAtStart = countSockets();

  /** Returns `store` with `release` wired to the guard. */
  track(store: Store): Store {
    const openedAt = new Error('opened here').stack ?? '';
    const release = async (): Promise<void> => {
      this.#open.delete(tracked);
      await store.release();
    };
    const tracked: Store = { ...store, release, [Symbol.asyncDispose]: release };
    this.#open.set(tracked, openedAt);
    return tracked;
  }

  get openStores(): number {
    return this.#open.size;
  }

  /** Releases whatever was left open, then throws if anything was. */
  async check(): Promise<void> {
    const leaked = [...this.#open.values()];
    await Promise.all([...this.#open.keys()].map((store) => store.release()));
    if (leaked.length > 0) {
      throw new Error(`${leaked.length} store(s) were not released:\n${leaked.join('\n---\n')}`);
    }
    await assertSocketsClosed(this.#socketsAtStart);
  }
}

export function countSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
}

/** Waits briefly for closing sockets, then throws if more are open than `baseline`. */
export async function assertSocketsClosed(baseline: number): Promise<void> {
  for (let attempt = 0; attempt < 50 && countSockets() > baseline; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const open = countSockets();
  if (open > baseline) {
    throw new Error(
      `${open - baseline} socket(s) are still open after every store was released: ` +
        process.getActiveResourcesInfo().join(', '),
    );
  }
}
