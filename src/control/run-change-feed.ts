/**
 * The one reader of run changes for a process: it follows `run_transitions` by its growing id
 * (every run created or moved, by any node on the store) while someone listens, and hands each
 * change to every listener. Started by the first listener at the newest change, stopped by the
 * last. On PostgreSQL an id is drawn when a row is inserted and a row may commit after one with a
 * higher id, so ids the reader skipped are asked for again for `gapMs` before they are given up.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError } from '../errors/index.ts';
import type { RunChangeRecord, Store } from '../store/index.ts';

export type RunChangeListener = (change: RunChangeRecord) => void;

/** What control needs to follow run changes: the daemon's shared feed, or one of its own. */
export interface RunChangeSource {
  /** Starts handing changes written from now on to `listener`; call the answer to stop. */
  listen(listener: RunChangeListener): () => void;
}

export interface RunChangeFeedOptions {
  readonly store: Pick<Store, 'readRunChanges' | 'lastRunChangeId'>;
  /** How long the reader waits between looks at the store. */
  readonly pollMs: number;
  /** Told when a read fails; the reader tries again after a wait. */
  readonly onError?: (error: Error) => void;
  /** How long a skipped id is asked for again (default 30 s). */
  readonly gapMs?: number;
}

/** Skipped ids kept at most; the oldest are given up first. */
const maxGaps = 1000;
/** Changes per read. */
const pageSize = 500;

export class RunChangeFeed implements RunChangeSource {
  readonly #options: RunChangeFeedOptions;
  readonly #listeners = new Set<RunChangeListener>();
  /** Skipped ids and when they were first missed. */
  readonly #gaps = new Map<number, number>();
  #running: Promise<void> | undefined;
  #stop: AbortController | undefined;

  constructor(options: RunChangeFeedOptions) {
    this.#options = options;
  }

  /** Listeners now. */
  get listeners(): number {
    return this.#listeners.size;
  }

  listen(listener: RunChangeListener): () => void {
    this.#listeners.add(listener);
    if (this.#stop === undefined) this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#halt();
    };
  }

  #start(): void {
    const stop = new AbortController();
    this.#stop = stop;
    const previous = this.#running ?? Promise.resolve();
    this.#running = previous.then(() => this.#follow(stop.signal));
  }

  #halt(): void {
    this.#stop?.abort();
    this.#stop = undefined;
  }

  async #follow(signal: AbortSignal): Promise<void> {
    const { store, pollMs } = this.#options;
    let cursor: number | undefined;
    this.#gaps.clear();
    while (!signal.aborted) {
      try {
        cursor ??= await store.lastRunChangeId();
        for (;;) {
          const changes = await store.readRunChanges({
            afterId: cursor,
            alsoIds: [...this.#gaps.keys()],
            limit: pageSize,
          });
          if (signal.aborted) return;
          cursor = this.#take(changes, cursor);
          if (changes.length < pageSize) break;
        }
      } catch (thrown) {
        this.#options.onError?.(coerceError(thrown));
      }
      try {
        await sleep(pollMs, undefined, { signal });
      } catch {
        return;
      }
    }
  }

  /** Hands the changes out; the new cursor. */
  #take(changes: readonly RunChangeRecord[], cursor: number): number {
    const now = Date.now();
    let next = cursor;
    for (const change of changes) {
      if (change.id > next) {
        for (let missing = next + 1; missing < change.id && this.#gaps.size < maxGaps; missing++)
          this.#gaps.set(missing, now);
        next = change.id;
      } else if (!this.#gaps.delete(change.id)) {
        continue;
      }
      for (const listener of this.#listeners) listener(change);
    }
    const gapMs = this.#options.gapMs ?? 30_000;
    for (const [id, since] of this.#gaps) if (now - since > gapMs) this.#gaps.delete(id);
    return next;
  }
}
