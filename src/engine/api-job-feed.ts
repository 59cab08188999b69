import type { ResolvedJob } from '../config/index.ts';
import type { Clock, TimerHandle } from '../clock/index.ts';
import { coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { ApiJobVersion, JsonValue, StopListening, Store } from '../store/index.ts';
import { jobsChangedSignal, logStoreError } from '../store/index.ts';

/**
 * How often a node asks whether it may have missed a `jobs_changed` signal (a lost listening
 * connection, a write by another process on SQLite): it then reads the versions table.
 */
export const defaultApiJobPollMs = 500;
/** At least this often the table is read anyway, even when no signal can have been missed. */
export const defaultApiJobReadMs = 5000;
/** How many reads a skipped id is looked for again (PostgreSQL draws ids before commit). */
const gapReads = 20;

/** An API job resolved for the engine, at the version it was resolved from. */
export interface ApiJobEntry {
  readonly job: ResolvedJob;
  readonly version: number;
}

export interface ApiJobFeedOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Resolves a stored entry against the job file in force; throws when it no longer resolves. */
  readonly resolve: (name: string, entry: JsonValue) => ResolvedJob;
  /** Applies what changed (the engine's `applyApiJobs`). */
  readonly apply: (
    upserts: readonly ApiJobEntry[],
    removes: readonly { readonly name: string; readonly version: number }[],
  ) => Promise<void>;
  readonly pollMs?: number;
  /** At least this often the poll reads the table (default 5 s). */
  readonly readMs?: number;
  /** The version of a job this node holds already (its own writes are applied at once): not resolved again. */
  readonly versionHeld?: (name: string) => number;
}

/**
 * Keeps a node's API jobs in step with the store: at start every job in force, then every version
 * written on any node, in id order, heard by the `jobs_changed` signal at once and by a poll as a
 * fallback (a signal is a hint). The poll reads the table only when the store's missed-signal
 * mark moved since the last read, ids are still awaited, the last read failed, or `readMs`
 * passed: an idle node with the signals working reads nothing twice a second. An entry that does not resolve against this node's job file (a
 * channel it names was removed) is left out and logged.
 */
export class ApiJobFeed {
  readonly #options: ApiJobFeedOptions;
  #lastId = 0;
  /** Ids skipped by a read, looked for again a few times: reads left per id. */
  readonly #gaps = new Map<number, number>();
  #timer: TimerHandle | undefined;
  #polling: Promise<void> | undefined;
  #stopListening: StopListening | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  #running = false;
  /** The last read that succeeded: the missed-signal mark read before it, and when. */
  #clean: { readonly mark: string; readonly at: number } | undefined;

  constructor(options: ApiJobFeedOptions) {
    this.#options = options;
  }

  /** Every API job in force, resolved; following starts after the newest version read here. */
  async load(): Promise<readonly ApiJobEntry[]> {
    const { store } = this.#options;
    // The id first: a version written between the two reads is read again by the feed (harmless).
    this.#lastId = await store.lastApiJobChangeId();
    return this.#resolveAll(await store.listApiJobs());
  }

  /** Resolves the jobs in force again (the job file they resolve against changed). */
  async reload(): Promise<readonly ApiJobEntry[]> {
    return this.#resolveAll(await this.#options.store.listApiJobs());
  }

  #resolveAll(records: readonly { name: string; entry: JsonValue; version: number }[]): ApiJobEntry[] {
    const entries: ApiJobEntry[] = [];
    for (const record of records) {
      const job = this.#resolve(record.name, record.entry, record.version);
      if (job !== undefined) entries.push({ job, version: record.version });
    }
    return entries;
  }

  #resolve(name: string, entry: JsonValue, version: number): ResolvedJob | undefined {
    try {
      return this.#options.resolve(name, entry);
    } catch (thrown) {
      this.#options.logger.warn(
        { job: name, version, err: coerceError(thrown) },
        'an API job does not resolve against the job file in force; it is left out',
      );
      return undefined;
    }
  }

  /** Starts following: the signal at once, the poll as a fallback. */
  async start(): Promise<void> {
    this.#running = true;
    this.#stopListening = await this.#options.store.onSignal(jobsChangedSignal, () => void this.readNow());
    this.#arm();
  }

  /** Reads the versions written since the last read (another read under way is followed by one more). */
  readNow(): Promise<void> {
    if (this.#reading !== undefined) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = this.#readLoop().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #readLoop(mark?: string): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.#read();
      } catch (thrown) {
        this.#clean = undefined;
        logStoreError(this.#options.logger, thrown, {}, 'reading API job changes failed; trying again');
        return;
      }
    } while (this.#again && this.#running);
    if (mark !== undefined) this.#clean = { mark, at: this.#options.clock.now() };
  }

  /**
   * The poll: reads the versions table unless this node can have missed no signal since its last
   * read (the mark unchanged, no id awaited, within `readMs`).
   */
  async #poll(): Promise<void> {
    const { store, clock } = this.#options;
    let mark: string | undefined;
    try {
      mark = await store.readMissedSignalMark();
    } catch (thrown) {
      logStoreError(
        this.#options.logger,
        thrown,
        {},
        'reading the missed-signal mark failed; reading API job changes',
      );
    }
    const clean = this.#clean;
    const trusted =
      mark !== undefined &&
      clean !== undefined &&
      clean.mark === mark &&
      this.#gaps.size === 0 &&
      clock.now() - clean.at < (this.#options.readMs ?? defaultApiJobReadMs);
    if (trusted || !this.#running) return;
    while (this.#reading !== undefined) await this.#reading;
    // The mark was read before this read began: what it vouches for is in the table now.
    this.#reading = this.#readLoop(mark).finally(() => {
      this.#reading = undefined;
    });
    await this.#reading;
  }

  async #read(): Promise<void> {
    const { store } = this.#options;
    for (;;) {
      const alsoIds = [...this.#gaps.keys()];
      const changes = await store.readApiJobChanges({ afterId: this.#lastId, alsoIds });
      for (const id of alsoIds) {
        const left = (this.#gaps.get(id) ?? 1) - 1;
        if (left <= 0) this.#gaps.delete(id);
        else this.#gaps.set(id, left);
      }
      if (changes.length === 0) return;
      for (const change of changes) {
        this.#gaps.delete(change.id);
        if (change.id > this.#lastId) {
          for (let skipped = this.#lastId + 1; skipped < change.id && this.#gaps.size < 1000; skipped++)
            this.#gaps.set(skipped, gapReads);
          this.#lastId = change.id;
        }
      }
      await this.#applyChanges(changes);
      if (changes.length < 1000) return;
    }
  }

  async #applyChanges(changes: readonly ApiJobVersion[]): Promise<void> {
    // The newest version of each job counts.
    const newest = new Map<string, ApiJobVersion>();
    for (const change of changes) {
      const known = newest.get(change.name);
      if (known === undefined || known.version < change.version) newest.set(change.name, change);
    }
    const upserts: ApiJobEntry[] = [];
    const removes: { name: string; version: number }[] = [];
    for (const change of newest.values()) {
      if ((this.#options.versionHeld?.(change.name) ?? 0) >= change.version) continue;
      if (change.change === 'deleted' || change.entry === null) {
        removes.push({ name: change.name, version: change.version });
        continue;
      }
      const job = this.#resolve(change.name, change.entry, change.version);
      if (job === undefined) removes.push({ name: change.name, version: change.version });
      else upserts.push({ job, version: change.version });
    }
    if (upserts.length > 0 || removes.length > 0) await this.#options.apply(upserts, removes);
  }

  #arm(): void {
    if (!this.#running) return;
    const { clock } = this.#options;
    this.#timer = clock.setTimer(() => {
      this.#timer = undefined;
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        this.#arm();
      });
    }, this.#options.pollMs ?? defaultApiJobPollMs);
  }

  /** Settles once the poll and the read under way (if any) are over. */
  async settled(): Promise<void> {
    await this.#polling;
    await this.#reading;
  }

  /** Stops following; waits for a read under way. */
  async release(): Promise<void> {
    this.#running = false;
    this.#stopListening?.();
    this.#stopListening = undefined;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#reading;
  }
}
