import { performance } from 'node:perf_hooks';
import { coerceError } from '../../errors/index.ts';
import type { Store } from '../../store/index.ts';

export interface StorePing {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/** How long `/readyz` and the metrics scrape wait for the store's answer. */
export const storePingTimeoutMs = 500;

/**
 * One cheap check that the store can be written now (`probeWrite`: SQLite takes and gives back
 * the write lock without waiting; PostgreSQL makes a round trip), timed; a store that does not
 * answer within `timeoutMs` is down.
 */
export async function pingStore(store: Store, timeoutMs = storePingTimeoutMs): Promise<StorePing> {
  const begin = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.probeWrite(), timeout]);
    return { ok: true, latencyMs: round(performance.now() - begin) };
  } catch (thrown) {
    return { ok: false, latencyMs: round(performance.now() - begin), error: coerceError(thrown).message };
  } finally {
    clearTimeout(timer);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
