import { performance } from 'node:perf_hooks';
import { coerceError } from '../../errors/index.ts';
import type { Store } from '../../store/index.ts';

export interface StorePing {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: string;
}

/** One cheap read (a primary-key lookup), timed; a store that does not answer in time is down. */
export async function pingStore(store: Store, timeoutMs = 2000): Promise<StorePing> {
  const begin = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([store.getLease('scheduler'), timeout]);
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
