import type { StopListening } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { Backoff } from '../backoff/index.ts';
import type { TimerHandle } from '../clock/index.ts';
import type { WorkerOptions } from './worker-options.ts';
import { claimAheadMs } from './worker-options.ts';

export const defaultWakeJitterMs = 10;
/** The store signal that runs were queued: every node's worker looks for due runs. */
export const runsQueuedChannel = 'runs_queued';

/**
 * When a worker looks for due runs: on every `runs_queued` signal (after a small random wait),
 * at the due time of the next pending run (found after a claim that took all it could), at
 * least every poll, and, while the store fails, after a back-off (100 ms doubling to 5 s).
 * Each of them calls `wake`.
 */
export class WakeUps {
  readonly #options: WorkerOptions;
  readonly #wake: () => void;
  readonly #running: () => boolean;
  #timer: TimerHandle | undefined;
  /** Listening to `runs_queued` (resolves to its stop). */
  #listening: Promise<StopListening | undefined> | undefined;
  readonly #looking = new Set<Promise<void>>();
  #lookSeq = 0;
  /** Waits between claims while the store fails. */
  readonly #backoff = new Backoff();
  /** No claim before this (the last one failed); undefined while the store works. */
  #retryAt: number | undefined;

  constructor(input: {
    readonly options: WorkerOptions;
    readonly wake: () => void;
    /** Whether the worker still claims: no wake timer once it does not. */
    readonly running: () => boolean;
  }) {
    this.#options = input.options;
    this.#wake = input.wake;
    this.#running = input.running;
  }

  /** Listens to `runs_queued`; resolves once it hears the signals (or listening failed: it polls). */
  listen(): Promise<StopListening | undefined> {
    this.#listening = this.#options.store
      .onSignal(runsQueuedChannel, () => this.#wakeJittered())
      .catch((thrown: unknown) => {
        logStoreError(this.#options.logger, thrown, {}, 'listening for queued runs failed; polling only');
        return undefined;
      });
    return this.#listening;
  }

  /**
   * Runs were queued: tells the workers of every node sharing the store, this one included. When
   * the signal cannot be sent, this worker looks itself and the other nodes find the runs at their
   * next poll.
   */
  async signal(): Promise<void> {
    try {
      await this.#options.store.signal(runsQueuedChannel);
    } catch (thrown) {
      logStoreError(this.#options.logger, thrown, {}, 'signalling queued runs failed');
      this.#wake();
    }
  }

  /** Stops listening and the wake timer. */
  async stop(): Promise<void> {
    (await this.#listening)?.();
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  /** Settles once the looks for the next due run under way are over. */
  settled(): Promise<unknown> {
    return Promise.all(this.#looking);
  }

  /** Backing off after a failed store call: the wake timer claims when the back-off is over. */
  backingOff(now: number): boolean {
    return this.#retryAt !== undefined && this.#retryAt > now;
  }

  /** A store call failed: the next claim waits (100 ms doubling to 5 s). */
  backOff(): void {
    const { clock } = this.#options;
    this.#retryAt = clock.now() + this.#backoff.next();
    this.#arm(this.#retryAt, true);
  }

  storeWorked(): void {
    this.#retryAt = undefined;
    this.#backoff.reset();
  }

  /**
   * After a claim that took every run it could reach (due by `reach`), asks the store when the
   * next pending run is due and wakes in time to claim it ahead, without holding up claims.
   */
  lookAhead(reach: number, claimable: readonly string[] | undefined): void {
    const looking = this.#wakeAtNextDue(++this.#lookSeq, reach, claimable);
    this.#looking.add(looking);
    void looking.finally(() => this.#looking.delete(looking));
  }

  async #wakeAtNextDue(seq: number, reach: number, claimable: readonly string[] | undefined): Promise<void> {
    const { store, node, logger } = this.#options;
    try {
      const next = await store.nextPendingRunAfter(claimable);
      this.storeWorked();
      // A newer look knows better.
      if (seq !== this.#lookSeq) return;
      // A run the claim could reach and left is one this node may not take now (a job at its
      // limit): look again at the next poll, or when a run here ends, not over and over.
      if (next === null || next <= reach) this.#arm(null);
      else this.#arm(next - claimAheadMs(this.#options));
    } catch (thrown) {
      logStoreError(logger, thrown, { node }, 'looking for the next due run failed');
      if (seq === this.#lookSeq) this.backOff();
    }
  }

  #wakeJittered(): void {
    const { store, random = Math.random } = this.#options;
    const jitterMs = this.#options.wakeJitterMs ?? (store.dialect === 'sqlite' ? 0 : defaultWakeJitterMs);
    if (jitterMs <= 0) {
      this.#wake();
      return;
    }
    // Real time, not the engine's clock: it spreads a race between nodes, it is no schedule.
    setTimeout(() => this.#wake(), random() * jitterMs);
  }

  /** Wakes at `at` (at the latest after a poll interval, unless backing off), or after a poll interval. */
  #arm(at: number | null, backingOff = false): void {
    const { clock } = this.#options;
    if (!this.#running()) return;
    if (this.#timer !== undefined) clock.clearTimer(this.#timer);
    const poll = this.#options.pollMs ?? 1000;
    const until = at === null ? poll : Math.max(0, at - clock.now());
    const wait = backingOff ? until : Math.min(poll, until);
    this.#timer = clock.setTimer(() => {
      this.#timer = undefined;
      this.#wake();
    }, wait);
  }
}
