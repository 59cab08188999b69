import type { Store } from '../store.ts';
import type { StoreAccess, StoreHealth } from './store-health.ts';

/** Store calls that only read; every other call writes. */
const readPrefixes = ['get', 'list', 'read', 'count', 'next', 'latest'] as const;

/** Whether a store method reads or writes, by its name. */
export function storeAccessOf(method: string): StoreAccess {
  return readPrefixes.some((prefix) => method.startsWith(prefix)) ? 'read' : 'write';
}

/**
 * The store with every call's outcome told to `health`: one place sees the faults of every loop
 * (scheduler, worker, watchers, API), so none of them needs to. Behaviour is otherwise unchanged:
 * results and errors pass through.
 */
export function watchStoreHealth(store: Store, health: StoreHealth): Store {
  const watched: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function' || name === 'release') {
      watched[name] = value;
      continue;
    }
    const call = (value as (...args: unknown[]) => Promise<unknown>).bind(store);
    const access = storeAccessOf(name);
    watched[name] = async (...args: unknown[]): Promise<unknown> => {
      try {
        const result = await call(...args);
        health.succeeded(access);
        return result;
      } catch (thrown) {
        health.failed(thrown, access);
        throw thrown;
      }
    };
  }
  return {
    ...(watched as unknown as Store),
    dialect: store.dialect,
    release: () => store.release(),
    [Symbol.asyncDispose]: () => store.release(),
  };
}
