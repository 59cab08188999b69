import type { ResolvedJob } from '../config/index.ts';
import type { Clock, TimerHandle } from '../clock/index.ts';
import type { JobCalendar } from '../config/index.ts';
import { Backoff } from '../backoff/index.ts';
import { compileJobCalendar } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { releaseInCooldown } from '../engine/index.ts';

/** The lease that makes one node at a time release queue items. */
export const drainerLeaseName = 'queue-drainer';

/** How many waiting items one pass looks at, at most, to find ones whose key has room. */
export const maxScannedPerPass = 10_000;

export interface QueueDrainerOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Who holds the queue lease: this process's instance id. */
  readonly node: string;
  readonly logger: Logger;
  /** Called after items were released (made due), so local workers look at once. */
  readonly onReleased?: (job: string, runIds: readonly number[]) => void;
  /** How often a queue job without a schedule looks for items it may release. */
  readonly pollMs?: number;
  readonly leaseMs?: number;
  /** Asked before taking or renewing the lease: false (a drain, a worker role) gives it up. */
  readonly mayLead?: () => boolean;
}

interface QueueJob {
  readonly job: ResolvedJob;
  /** Undefined for a queue job without a schedule: it drains continuously. */
  readonly calendar: JobCalendar | undefined;
  timer: TimerHandle | undefined;
}

/**
 * Drains the jobs that have `queue:`. Enqueued items wait as runs in status `held`; at each fire
 * of the job's schedule one pass releases the oldest waiting items — at most `max_per_run`, and
 * only while their key has fewer than `per_key` items in progress — by making them `pending` and
 * due now (a compare-and-set on the status, a transition row each). Workers of every node then
 * claim and run them like any run (the claim is the lock: one node holds an item at a time; an
 * item is executed at least once, see docs/engine.md). A queue job without a schedule drains continuously: a pass runs when an
 * item is enqueued and every `pollMs`. One node at a time releases (a lease).
 */
export class QueueDrainer {
  readonly #options: QueueDrainerOptions;
  readonly #jobs = new Map<string, QueueJob>();
  readonly #paused = new Set<string>();
  readonly #passes = new Map<string, Promise<readonly number[]>>();
  #pollTimer: TimerHandle | undefined;
  #running = false;
  #leaderUntil = 0;
  /** Waits between polls while the store fails. */
  readonly #backoff = new Backoff();
  #retryAt = 0;

  constructor(options: QueueDrainerOptions) {
    this.#options = options;
  }

  /** Loads which jobs are paused, then arms the fire timers. */
  async start(jobs: readonly ResolvedJob[]): Promise<void> {
    this.#running = true;
    for (const record of await this.#options.store.listJobs()) this.setPaused(record.name, record.paused);
    this.setJobs(jobs);
    this.#schedulePoll();
  }

  /** Replaces the job set (job file reloaded): the jobs in force, the file's and the API's. */
  setJobs(jobs: readonly ResolvedJob[]): void {
    for (const name of [...this.#jobs.keys()]) this.#forget(name);
    this.#put(jobs);
  }

  /**
   * Jobs defined through the API, added, changed or removed without a reload: a queue job among
   * them drains from now on like one of the file, a removed one no longer.
   */
  applyJobChanges(changed: readonly ResolvedJob[], removed: readonly string[]): void {
    for (const name of removed) this.#forget(name);
    this.#put(changed);
    // Items may be waiting already (enqueued before the job changed): a continuous job looks now.
    for (const job of changed) this.notify(job.name);
  }

  #put(jobs: readonly ResolvedJob[]): void {
    for (const job of jobs) {
      this.#forget(job.name);
      if (job.queue === undefined || !job.enabled) continue;
      const calendar =
        job.schedules.length === 0 ? undefined : compileJobCalendar(job.schedules, job.timezone);
      const entry: QueueJob = { job, calendar, timer: undefined };
      this.#jobs.set(job.name, entry);
      this.#arm(entry);
    }
  }

  #forget(name: string): void {
    const entry = this.#jobs.get(name);
    if (entry === undefined) return;
    if (entry.timer !== undefined) this.#options.clock.clearTimer(entry.timer);
    this.#jobs.delete(name);
  }

  /** A paused queue job releases nothing until it is resumed. */
  setPaused(job: string, paused: boolean): void {
    if (paused) this.#paused.add(job);
    else this.#paused.delete(job);
  }

  /** Items were enqueued: a queue job without a schedule releases what it may now. */
  notify(job: string): void {
    const entry = this.#jobs.get(job);
    if (entry === undefined || entry.calendar !== undefined || !this.#running) return;
    void this.drain(job);
  }

  /**
   * One pass over a queue job: releases the oldest waiting items its limits allow and returns
   * their ids. Passes of one job never overlap.
   */
  async drain(job: string): Promise<readonly number[]> {
    const previous = this.#passes.get(job) ?? Promise.resolve([]);
    const pass = previous.then(() => this.#pass(job));
    this.#passes.set(job, pass);
    try {
      return await pass;
    } finally {
      if (this.#passes.get(job) === pass) this.#passes.delete(job);
    }
  }

  /** Stops the timers, waits for passes under way, gives up the lease. */
  async release(): Promise<void> {
    const { clock } = this.#options;
    this.#running = false;
    if (this.#pollTimer !== undefined) clock.clearTimer(this.#pollTimer);
    for (const entry of this.#jobs.values()) if (entry.timer !== undefined) clock.clearTimer(entry.timer);
    await Promise.allSettled([...this.#passes.values()]);
    await this.stepDown();
  }

  /** Gives up the queue lease now, if held (a drain: another node takes it at once). */
  async stepDown(): Promise<void> {
    const { store, node } = this.#options;
    if (this.#leaderUntil <= 0) return;
    this.#leaderUntil = 0;
    await store.releaseLease(drainerLeaseName, node).catch((thrown: unknown) => {
      logStoreError(this.#options.logger, thrown, {}, 'giving up the queue lease failed');
    });
  }

  #arm(entry: QueueJob): void {
    const { clock } = this.#options;
    if (entry.calendar === undefined || !this.#running) return;
    const next = entry.calendar.next(clock.now());
    if (next === null) return;
    entry.timer = clock.setTimer(
      () => {
        entry.timer = undefined;
        void this.drain(entry.job.name).finally(() => {
          if (this.#jobs.get(entry.job.name) === entry) this.#arm(entry);
        });
      },
      Math.max(0, next - clock.now()),
    );
  }

  #schedulePoll(): void {
    const { clock } = this.#options;
    if (!this.#running) return;
    this.#pollTimer = clock.setTimer(
      () => {
        const continuous = [...this.#jobs.values()].filter((entry) => entry.calendar === undefined);
        void Promise.allSettled(continuous.map((entry) => this.drain(entry.job.name))).finally(() =>
          this.#schedulePoll(),
        );
      },
      Math.max(this.#options.pollMs ?? 1000, this.#retryAt - clock.now()),
    );
  }

  async #isLeader(now: number): Promise<boolean> {
    if (this.#options.mayLead?.() === false) {
      await this.stepDown();
      return false;
    }
    const leaseMs = this.#options.leaseMs ?? 15_000;
    if (this.#leaderUntil - now > leaseMs / 2) return true;
    const until = now + leaseMs;
    const held = await this.#options.store.acquireLease({
      name: drainerLeaseName,
      owner: this.#options.node,
      now,
      until,
    });
    this.#leaderUntil = held ? until : 0;
    return held;
  }

  /**
   * Releases the items picked. For a job with a `cooldown` the decision and the release are one
   * step under the job's lock (`releaseInCooldown`): the items released together count as one
   * start, and a pass inside the cooldown of the last one releases nothing. A scheduled pass with
   * items `waiting` then records a skipped run saying until when (a continuous queue just waits:
   * it looks again at its next poll).
   */
  async #release(
    entry: QueueJob,
    picked: readonly number[],
    waiting: boolean,
    now: number,
  ): Promise<readonly number[]> {
    const { store, node } = this.#options;
    const { job } = entry;
    if (job.cooldownMs === undefined || job.cooldownMs <= 0) {
      return picked.length === 0 ? [] : store.releaseHeldRuns(picked, { at: now, node });
    }
    if (!waiting) return [];
    const recordSkip = entry.calendar !== undefined;
    return (await releaseInCooldown(store, job, picked, { now, node, recordSkip })).released;
  }

  async #pass(name: string): Promise<readonly number[]> {
    const { store, clock, logger } = this.#options;
    const entry = this.#jobs.get(name);
    if (entry === undefined || this.#paused.has(name)) return [];
    const queue = entry.job.queue ?? {};
    try {
      const now = clock.now();
      if (!(await this.#isLeader(now))) return [];
      // Paused through another node's API: the store is the truth.
      if ((await store.getJob(name))?.paused === true) return [];
      const budget = queue.maxPerRun ?? 1000;
      const perKey = queue.perKey;
      const inProgress = new Map<string | null, number>();
      if (perKey !== undefined) {
        for (const count of await store.countActiveRunsByKey(name))
          inProgress.set(count.rateKey, count.pending + count.running);
      }
      const picked: number[] = [];
      let waiting = false;
      let afterId: number | undefined;
      for (let scanned = 0; picked.length < budget && scanned < maxScannedPerPass;) {
        const page = await store.listHeldRuns({
          job: name,
          limit: 1000,
          ...(afterId === undefined ? {} : { afterId }),
        });
        for (const item of page) {
          if (picked.length >= budget) break;
          const used = inProgress.get(item.rateKey) ?? 0;
          if (perKey !== undefined && item.rateKey !== null && used >= perKey) continue;
          inProgress.set(item.rateKey, used + 1);
          picked.push(item.id);
        }
        scanned += page.length;
        if (page.length > 0) waiting = true;
        afterId = page.at(-1)?.id;
        if (page.length < 1000) break;
      }
      const released = await this.#release(entry, picked, waiting, now);
      this.#backoff.reset();
      this.#retryAt = 0;
      if (released.length > 0) {
        logger.info({ job: name, items: released.length }, `released ${released.length} queue item(s)`);
        this.#options.onReleased?.(name, released);
      }
      return released;
    } catch (thrown) {
      logStoreError(
        logger,
        thrown,
        { job: name },
        'releasing queue items failed; trying again after a back-off',
      );
      this.#retryAt = clock.now() + this.#backoff.next();
      return [];
    }
  }
}
