/**
 * Store signals on SQLite: an emitter in the process. Stores opened on the same database file in
 * one process hear each other (SQLite serves one node; other processes are not told).
 */
import { resolve } from 'node:path';
import type { StoreSignals } from '../store-signals.ts';
import { SignalListeners } from '../store-signals.ts';

/** The listeners of every open store in this process, by database file. */
const openFiles = new Map<string, Set<SignalListeners>>();

export interface SqliteSignals extends StoreSignals {
  /** Stops every listener of this store (the store is being closed). */
  close(): void;
}

/**
 * Signals between the stores of this process on `location` (`:memory:`: this store alone).
 * `dataVersion` reads the connection's `PRAGMA data_version`: other processes' writes move it.
 */
export function createSqliteSignals(location: string, dataVersion: () => Promise<number>): SqliteSignals {
  const own = new SignalListeners();
  const key = location === ':memory:' ? undefined : resolve(location);
  const peers = (): Iterable<SignalListeners> => (key === undefined ? [own] : (openFiles.get(key) ?? []));
  let registered = false;
  const register = (): void => {
    if (registered || key === undefined) return;
    registered = true;
    const set = openFiles.get(key) ?? new Set<SignalListeners>();
    set.add(own);
    openFiles.set(key, set);
  };
  const unregister = (): void => {
    if (!registered || key === undefined) return;
    registered = false;
    const set = openFiles.get(key);
    set?.delete(own);
    if (set?.size === 0) openFiles.delete(key);
  };
  return {
    async signal(channel, payload = '') {
      const targets = [...peers()];
      // Never inside the caller's own call: as over a network, the listeners hear it a moment later.
      queueMicrotask(() => {
        for (const listeners of targets) listeners.deliver(channel, payload);
      });
    },
    async onSignal(channel, listener) {
      own.add(channel, listener);
      register();
      return () => {
        if (own.remove(channel, listener) && own.channels.length === 0) unregister();
      };
    },
    async countListeningPeers() {
      if (key === undefined) return 0;
      return (openFiles.get(key)?.size ?? 0) - (registered ? 1 : 0);
    },
    async readMissedSignalMark() {
      return `data_version:${await dataVersion()}`;
    },
    close() {
      own.clear();
      unregister();
    },
  };
}
