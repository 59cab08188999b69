/**
 * Checkpoints a SQLite database's write-ahead log from a thread of its own. A checkpoint copies
 * the log's pages into the database file and syncs it; done by the connection that commits
 * (SQLite's default, every 1,000 pages) it stalls that commit for several milliseconds, which
 * node:sqlite's synchronous calls turn into a stall of the whole event loop: every claim, start
 * and timer of the daemon waits. Here a second connection, in a worker thread, runs passive
 * checkpoints (which never block writers or readers) while the main connection only commits.
 *
 * The thread starts once the log holds more than `startAtBytes`, so a store that writes little
 * (a CLI command, a test) never pays for a thread. Should it never start or die, the main
 * connection still checkpoints by itself once the log reaches `fallbackPages` (see
 * `walAutocheckpointPages`): slower, never unbounded. Durability is unchanged: commits are in
 * the log before they return, whoever copies them to the database file later.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { checkpointThreadKind } from './checkpoint-thread.ts';

/** Pages (4 KiB) the log may hold before the main connection checkpoints by itself. */
export const walAutocheckpointPages = 10_000;

/** The thread's file beside this one: `.ts` in a clone, `.js` when built (a Worker URL is not rewritten). */
const checkpointThreadFile = import.meta.url.endsWith('.ts')
  ? './checkpoint-thread.ts'
  : './checkpoint-thread.js';

export interface WalCheckpointerOptions {
  /** How often the thread checkpoints (default 200 ms). */
  readonly intervalMs?: number;
  /** The log size that starts the thread (default 4 MiB, SQLite's own threshold). */
  readonly startAtBytes?: number;
  /** How often the log size is looked at until the thread runs (default 1 s). */
  readonly watchMs?: number;
  readonly busyTimeoutMs?: number;
}

export class WalCheckpointer {
  readonly #file: string;
  readonly #options: WalCheckpointerOptions;
  #watch: NodeJS.Timeout | undefined;
  #thread: Worker | undefined;
  #exited: Promise<void> | undefined;
  #stopped = false;

  constructor(file: string, options: WalCheckpointerOptions = {}) {
    this.#file = file;
    this.#options = options;
  }

  /** Starts watching the log; the thread starts when it grows. */
  watch(): void {
    if (this.#stopped || this.#watch !== undefined || this.#thread !== undefined) return;
    this.#watch = setInterval(() => this.#look(), this.#options.watchMs ?? 1000);
    this.#watch.unref();
  }

  /** Whether the checkpoint thread is running. */
  get running(): boolean {
    return this.#thread !== undefined;
  }

  /** Starts the thread now (the log grew, or a caller knows it will). */
  start(): void {
    if (this.#stopped || this.#thread !== undefined) return;
    this.#stopWatching();
    const thread = new Worker(new URL(checkpointThreadFile, import.meta.url), {
      workerData: {
        kind: checkpointThreadKind,
        file: this.#file,
        intervalMs: this.#options.intervalMs ?? 200,
        busyTimeoutMs: this.#options.busyTimeoutMs ?? 5000,
      },
    });
    // The daemon's lifetime is not the checkpointer's business: it never keeps the process alive.
    thread.unref();
    // A thread that fails leaves the checkpoints to the main connection (see walAutocheckpointPages).
    thread.on('error', () => undefined);
    this.#exited = new Promise((resolve) => thread.once('exit', () => resolve()));
    this.#thread = thread;
  }

  /** Stops watching and ends the thread after its checkpoint under way. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopWatching();
    const thread = this.#thread;
    if (thread === undefined) return;
    // Held while it stops, so that the process waits for the database to be closed.
    thread.ref();
    thread.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      this.#exited?.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 2000))),
    ]);
    clearTimeout(timer);
    if (stopped !== true) await thread.terminate();
    this.#thread = undefined;
  }

  #look(): void {
    // No log file yet: nothing written.
    const size = statSync(`${this.#file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    if (size > (this.#options.startAtBytes ?? 4 * 1024 * 1024)) this.start();
  }

  #stopWatching(): void {
    if (this.#watch !== undefined) clearInterval(this.#watch);
    this.#watch = undefined;
  }
}
