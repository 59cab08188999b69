import { randomUUID } from 'node:crypto';
import type { StopListening } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { Backoff } from '../backoff/index.ts';
import type { TimerHandle } from '../clock/index.ts';
import type { WorkerOptions } from './worker-options.ts';
import { claimAheadMs } from './worker-options.ts';

export const defaultWakeJitterMs = 10;
/** The store signal that runs were queued: every node's worker looks for due runs. */
export const runsQueuedChannel = 'runs_queued';
/** How long a count of the other workers listening on the store is trusted before it is taken again. */
export const peerCountMs = 30_000;
/**
 * An idle worker's poll claims only when it may have missed a signal (the store's missed-signal
 * mark moved since its last look that found nothing to claim), and at least this often.
 */
export const defaultSignalTrustMs = 5000;

/**
 * When a worker looks for due runs: on every `runs_queued` signal, at the due time of the next
 * pending run (found after a claim that took all it could), at a poll, and, while the store
 * fails, after a back-off (100 ms doubling to 5 s). Each of them calls `wake`.
 *
 * The poll is a fallback for lost signals: it reads the store's missed-signal mark (no statement
 * on PostgreSQL) and claims only when the mark moved since the last look that found nothing this
 * node could take, when that look found runs it could not take then (a job at its limit), or
 * when `defaultSignalTrustMs` passed. An idle worker thus claims every 5 s, not every second.
 *
 * While other workers listen on the store, each wake-up on a signal waits a small random time
 * first, and the node that queued the runs wakes on its own signal like the others, so that it
 * has no head start. A worker alone on the store claims the runs it queued at once, before its
 * signal comes back. The others are counted when listening begins, again when a sender it did
 * not count is heard, and at most every `peerCountMs` otherwise; until a count succeeds, it
 * takes them as present.
 */
export class WakeUps {
  readonly #options: WorkerOptions;
  readonly #wake: () => void;
  readonly #running: () => boolean;
  #timer: TimerHandle | undefined;
  /** Counts the timers armed: a poll whose timer was replaced meanwhile does nothing. */
  #armSeq = 0;
  /** The last look that found nothing to take now: the missed-signal mark read before its claim, and when. */
  #clean: { readonly mark: string; readonly at: number } | undefined;
  /** The mark a poll read before waking: the next claim starts after it. */
  #markForClaim: string | undefined;
  /** Listening to `runs_queued` (resolves to its stop). */
  #listening: Promise<StopListening | undefined> | undefined;
  readonly #looking = new Set<Promise<void>>();
  #lookSeq = 0;
  /** Waits between claims while the store fails. */
  readonly #backoff = new Backoff();
  /** No claim before this (the last one failed); undefined while the store works. */
  #retryAt: number | undefined;
  /** The payload of this worker's `runs_queued` signals, so that it knows its own when they come back. */
  readonly #sender = randomUUID();
  /** The payload of those it sent after waking itself: skipped when they come back. */
  readonly #senderAwake = `${this.#sender}:awake`;
  /** Other workers listening on the store, when counted; undefined: not known (taken as some). */
  #peers: number | undefined;
  #countedAt = Number.NEGATIVE_INFINITY;
  #counting: Promise<void> | undefined;

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

  /**
   * Listens to `runs_queued`; resolves once it hears the signals (or listening failed: it polls)
   * and the other listening workers were counted. When there are some, it tells them it is here
   * (a signal of its own), so that a worker that counted none counts again.
   */
  listen(): Promise<StopListening | undefined> {
    this.#listening = (async () => {
      let stop: StopListening | undefined;
      try {
        stop = await this.#options.store.onSignal(runsQueuedChannel, (payload) => this.#heard(payload));
      } catch (thrown) {
        logStoreError(this.#options.logger, thrown, {}, 'listening for queued runs failed; polling only');
        return undefined;
      }
      await this.#countPeers();
      if (this.#peers !== 0) await this.#send(this.#sender);
      return stop;
    })();
    return this.#listening;
  }

  /**
   * Runs were queued (after they were stored): tells the workers of every node sharing the store.
   * A worker alone on the store wakes at once, without waiting for its own signal to come back
   * (and skips it when it does); while others listen, it wakes on its signal like them, after the
   * random wait, so that it has no head start of a round trip. When the signal cannot be sent,
   * this worker looks itself and the other nodes find the runs at their next poll.
   */
  async signal(): Promise<void> {
    const alone = this.#peers === 0;
    if (alone) this.#wake();
    this.#countPeersWhenOld();
    if (!(await this.#send(alone ? this.#senderAwake : this.#sender)) && !alone) this.#wake();
  }

  /** Sends `runs_queued`; false when it could not be sent. */
  async #send(payload: string): Promise<boolean> {
    try {
      await this.#options.store.signal(runsQueuedChannel, payload);
      return true;
    } catch (thrown) {
      logStoreError(this.#options.logger, thrown, {}, 'signalling queued runs failed');
      return false;
    }
  }

  /** A `runs_queued` signal: one this worker sent after it woke itself is skipped. */
  #heard(payload: string): void {
    if (payload === this.#senderAwake) return;
    // A sender other than this worker (an empty payload is a program that queued runs) while
    // none were counted: count again.
    const other = payload !== '' && payload !== this.#sender;
    if (this.#peers === 0 && other) this.#countPeers().catch(() => undefined);
    else this.#countPeersWhenOld();
    this.#wakeSoon();
  }

  #countPeersWhenOld(): void {
    if (this.#options.clock.now() - this.#countedAt < peerCountMs) return;
    this.#countPeers().catch(() => undefined);
  }

  /** Counts the other listening workers (one count at a time); a failed count leaves them unknown. */
  #countPeers(): Promise<void> {
    this.#counting ??= (async () => {
      try {
        this.#peers = await this.#options.store.countListeningPeers();
      } catch (thrown) {
        this.#peers = undefined;
        logStoreError(this.#options.logger, thrown, {}, 'counting the workers on the store failed');
      } finally {
        this.#countedAt = this.#options.clock.now();
        this.#counting = undefined;
      }
    })();
    return this.#counting;
  }

  /** Stops listening and the wake timer. */
  async stop(): Promise<void> {
    (await this.#listening)?.();
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  /** Counted alone on the store: no other worker listens (unknown counts as not alone). */
  get alone(): boolean {
    return this.#peers === 0;
  }

  /** No look, poll or count under way. */
  get idle(): boolean {
    return this.#looking.size === 0 && this.#counting === undefined;
  }

  /** Settles once the looks for the next due run and the count of workers under way are over. */
  settled(): Promise<unknown> {
    return Promise.all([...this.#looking, this.#counting]);
  }

  /** Backing off after a failed store call: the wake timer claims when the back-off is over. */
  backingOff(now: number): boolean {
    return this.#retryAt !== undefined && this.#retryAt > now;
  }

  /** A store call failed: the next claim waits (100 ms doubling to 5 s). */
  backOff(): void {
    const { clock } = this.#options;
    this.#clean = undefined;
    this.#retryAt = clock.now() + this.#backoff.next();
    this.#arm(this.#retryAt, true);
  }

  storeWorked(): void {
    this.#retryAt = undefined;
    this.#backoff.reset();
  }

  /** The missed-signal mark a poll read before waking, taken by the claim that follows (once). */
  takeMark(): string | undefined {
    const mark = this.#markForClaim;
    this.#markForClaim = undefined;
    return mark;
  }

  /**
   * After a claim that took every run it could reach (due by `reach`), asks the store when the
   * next pending run is due and wakes in time to claim it ahead, without holding up claims.
   * `mark`: the missed-signal mark read before that claim, if a poll read one.
   */
  lookAhead(reach: number, claimable: readonly string[] | undefined, mark?: string): void {
    this.#track(this.#wakeAtNextDue(++this.#lookSeq, reach, claimable, mark));
  }

  #track(looking: Promise<void>): void {
    this.#looking.add(looking);
    void looking.finally(() => this.#looking.delete(looking));
  }

  async #wakeAtNextDue(
    seq: number,
    reach: number,
    claimable: readonly string[] | undefined,
    mark: string | undefined,
  ): Promise<void> {
    const { store, node, logger, clock } = this.#options;
    try {
      const next = await store.nextPendingRunAfter(claimable);
      this.storeWorked();
      // A newer look knows better.
      if (seq !== this.#lookSeq) return;
      // A run the claim could reach and left is one this node may not take now (a job at its
      // limit): look again at the next poll, or when a run here ends, not over and over.
      const leftSome = next !== null && next <= reach;
      if (leftSome) this.#clean = undefined;
      else if (mark !== undefined) this.#clean = { mark, at: clock.now() };
      if (next === null || next <= reach) this.#arm(null);
      else this.#arm(next - claimAheadMs(this.#options));
    } catch (thrown) {
      logStoreError(logger, thrown, { node }, 'looking for the next due run failed');
      if (seq === this.#lookSeq) this.backOff();
    }
  }

  /** Wakes now, or after a random wait while other workers may be competing for the runs. */
  #wakeSoon(): void {
    const { store, random = Math.random } = this.#options;
    const jitterMs = this.#options.wakeJitterMs ?? (store.dialect === 'sqlite' ? 0 : defaultWakeJitterMs);
    if (jitterMs <= 0 || this.#peers === 0) {
      this.#wake();
      return;
    }
    // Real time, not the engine's clock: it spreads a race between nodes, it is no schedule.
    setTimeout(() => this.#wake(), random() * jitterMs);
  }

  /**
   * Wakes at `at` (unless backing off, polls meanwhile every poll interval), or polls after a
   * poll interval.
   */
  #arm(at: number | null, backingOff = false): void {
    const { clock } = this.#options;
    if (!this.#running()) return;
    if (this.#timer !== undefined) clock.clearTimer(this.#timer);
    const seq = ++this.#armSeq;
    const poll = this.#options.pollMs ?? 1000;
    const until = at === null ? poll : Math.max(0, at - clock.now());
    const due = backingOff || (at !== null && until <= poll);
    this.#timer = clock.setTimer(
      () => {
        this.#timer = undefined;
        if (due) this.#wake();
        else this.#track(this.#poll(at, seq));
      },
      due ? until : poll,
    );
  }

  /** A poll: wakes unless no signal can have been missed since the last look; else polls again later. */
  async #poll(at: number | null, seq: number): Promise<void> {
    const { store, clock, logger } = this.#options;
    let mark: string | undefined;
    try {
      mark = await store.readMissedSignalMark();
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'reading the missed-signal mark failed; claiming');
    }
    // Stopped, or another look armed the timer meanwhile: that one decides.
    if (!this.#running() || seq !== this.#armSeq) return;
    const clean = this.#clean;
    const trustMs = this.#options.signalTrustMs ?? defaultSignalTrustMs;
    if (mark !== undefined && clean?.mark === mark && clock.now() - clean.at < trustMs) {
      this.#arm(at);
      return;
    }
    this.#markForClaim = mark;
    this.#wake();
  }
}
