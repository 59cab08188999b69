import type { ResolvedJob } from '../config/index.ts';
import type { StopListening } from '../store/index.ts';
import { isStoreFault, jobsPausedSignal, logStoreError } from '../store/index.ts';
import { Backoff } from '../backoff/index.ts';
import type { TimerHandle } from '../clock/index.ts';
import { applyJobChanges } from './apply-job-changes.ts';
import { followTime, loadFollowerView } from './follower-view.ts';
import { LeaderLease } from './leader-lease.ts';
import { loadSchedule } from './load-schedule.ts';
import { putBackFires, recordDueFires } from './record-due-fires.ts';
import type { SchedulerOptions } from './scheduler-options.ts';
import type { JobMissedFires, SchedulerState, TakenFire } from './scheduler-state.ts';
import { recordMissed, refreshPaused } from './scheduler-state.ts';
import { takeOver } from './take-over.ts';
import { TimerHeap } from './timer-heap.ts';

/** How often at most the leader rereads the paused jobs without a pause signal. */
export const pausedRereadMs = 5000;

export { defaultStartDeadlineMs } from './start-deadline.ts';
export { startupToleranceMs } from './load-schedule.ts';
export {
  defaultLeaderLeaseMs,
  defaultLeaderPollMs,
  leaderLeaseName,
  leaderLeaseSignal,
} from './leader-lease.ts';
export { defaultLookAheadMs, firesAhead, leadOf, recordMsPerRun } from './look-ahead.ts';
export type { SchedulerOptions } from './scheduler-options.ts';

/**
 * Turns schedules into runs. One timer for the earliest fire of all jobs (a heap, not a scan),
 * so 100,000 schedules cost nothing while nothing is due. Only the holder of the leader lease
 * fires; the fire key keeps a fire single even if two nodes both believe they lead.
 *
 * This class runs the timer and the ticks; the parts are beside it: the leader lease
 * (`leader-lease.ts`), the leader's load with catch-up (`load-schedule.ts`), a follower's view
 * (`follower-view.ts`), the take-over from the stored cursor (`take-over.ts`) and the tick that
 * records due fires (`record-due-fires.ts`).
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #state: SchedulerState;
  readonly #lease: LeaderLease;
  #timer: TimerHandle | undefined;
  #tick: Promise<void> | undefined;
  #running = false;
  #reloading = false;
  #reloads: Promise<void> = Promise.resolve();
  #lastTickAt = 0;
  /** Waits between ticks while the store fails. */
  readonly #backoff: Backoff;
  /** No tick before this (a tick failed); undefined while the store works. */
  #retryAt: number | undefined;
  /** Fires due from this time on were held up by a store fault (they run late, not missed). */
  #heldFrom: number | undefined;
  #stopListening: StopListening | undefined;
  #stopPauseListening: StopListening | undefined;
  /** When the leader last read the paused jobs (it rereads them at most every `pausedRereadMs`). */
  #pausedReadAt = -Infinity;
  /**
   * The heap is this node's own schedule as leader (loaded, or taken over, and not moved as a
   * follower since): a lease that ran out and was resumed needs no take-over.
   */
  #led = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    const state: SchedulerState = {
      options,
      heap: new TimerHeap<string>(),
      jobs: new Map(),
      paused: new Set(),
    };
    this.#state = state;
    this.#lease = new LeaderLease(options, () => this.#rereadPaused());
    this.#backoff = new Backoff(options.random === undefined ? {} : { random: options.random });
  }

  /**
   * At a lease renewal (twice a second) the leader rereads the paused jobs, another node's API
   * may have changed them, but at most every `pausedRereadMs` unless a pause signal came: with
   * 100,000 jobs the read is a scan that would otherwise cost several percent of a core.
   */
  async #rereadPaused(): Promise<void> {
    const now = this.#options.clock.now();
    if (now - this.#pausedReadAt < pausedRereadMs) return;
    this.#pausedReadAt = now;
    await refreshPaused(this.#state);
  }

  /** When the scheduler last ran its loop (for readiness). */
  get lastTickAt(): number {
    return this.#lastTickAt;
  }

  get isLeader(): boolean {
    return this.#lease.isLeader;
  }

  /** Loads the jobs, handles fires missed while no scheduler ran, and starts the timer. */
  async start(jobs: readonly ResolvedJob[]): Promise<void> {
    this.#running = true;
    this.#stopListening = await this.#lease.listen(() => this.#lookNow());
    // A job paused or resumed on any node: read the paused jobs again at the next renewal.
    this.#stopPauseListening = await this.#options.store.onSignal(jobsPausedSignal, () => {
      this.#pausedReadAt = -Infinity;
    });
    await this.#load(jobs, true);
    this.#arm();
  }

  /** A follower looks for the lease at once (the leader gave it up). */
  #lookNow(): void {
    if (!this.#running || this.#reloading || this.isLeader || this.#tick !== undefined) return;
    this.#disarm();
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = undefined;
      this.#runTick();
    }, 0);
  }

  /** Replaces the job set (job file reloaded); jobs keep their schedule state. */
  reload(jobs: readonly ResolvedJob[]): Promise<void> {
    // Reloads (SIGHUP and --watch may come together) run one after another.
    const done = this.#reloads.then(() => this.#reload(jobs));
    this.#reloads = done.catch(() => undefined);
    return done;
  }

  async #reload(jobs: readonly ResolvedJob[]): Promise<void> {
    // No tick may run while the job set is replaced: one that fired a job between the reload
    // reading the schedule states and taking the pending fires would have its fire counted
    // missed. The timer stays disarmed (a tick under way is awaited) until the load is done.
    this.#reloading = true;
    try {
      this.#disarm();
      await this.#tick;
      this.#disarm();
      await this.#load(jobs, false);
    } finally {
      this.#reloading = false;
    }
    this.#arm();
  }

  /**
   * Adds, replaces or removes some jobs (defined through the API) in the heap, leaving the others
   * as they are; after a reload under way, so a reload's job set never overwrites a later change,
   * and, as a reload, after a tick under way: a tick that fails puts the fires it took back into
   * the jobs it took them from, which a change made meanwhile would have replaced.
   */
  updateJobs(upserts: readonly ResolvedJob[], removes: readonly string[]): Promise<void> {
    const done = this.#reloads.then(async () => {
      await this.settled();
      applyJobChanges(this.#state, upserts, removes, this.#options.clock.now());
      // The earliest fire may have moved.
      this.#arm();
    });
    this.#reloads = done.catch(() => undefined);
    return done;
  }

  setPaused(job: string, paused: boolean): void {
    if (paused) this.#state.paused.add(job);
    else this.#state.paused.delete(job);
  }

  /** The next fire time of a job (recorded ahead or not yet), or null. */
  nextFireOf(job: string): number | null {
    const entry = this.#state.jobs.get(job);
    if (entry === undefined) return null;
    const now = this.#options.clock.now();
    // Fires recorded ahead and still to come: the first of them.
    if (entry.lastAt !== null && entry.lastAt > now) return entry.calendar.next(now) ?? entry.lastAt;
    return entry.nextAt;
  }

  /**
   * The next fire the scheduler is to record: the top of its heap, so O(1) whatever the number of
   * jobs (the stall check reads it). A job that records ahead is there by its fire time, not by
   * the moment it is recorded. Null when nothing is planned.
   */
  get earliestFire(): number | null {
    const name = this.#state.heap.peekKey();
    return name === undefined ? null : (this.#state.jobs.get(name)?.nextAt ?? null);
  }

  /** Resolves once no tick is under way (a tick that starts meanwhile is awaited too). */
  async settled(): Promise<void> {
    while (this.#tick !== undefined) await this.#tick;
  }

  /** Stops the timer, waits for a tick under way, gives up the leader lease. */
  async release(): Promise<void> {
    this.#running = false;
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#stopPauseListening?.();
    this.#stopPauseListening = undefined;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#tick;
    await this.stepDown(0);
  }

  /**
   * Gives up the leader lease now, if held (a stop or a drain), and signals it, so a follower
   * takes it at once.
   */
  async stepDown(leaderUntil = -1): Promise<void> {
    await this.#lease.stepDown(leaderUntil);
  }

  async #load(jobs: readonly ResolvedJob[], startup: boolean): Promise<void> {
    const now = this.#options.clock.now();
    // Only the leader catches up and writes the schedule state; a follower keeps its own view of
    // the next fires (for display) and rebuilds from the store when it takes the lease.
    this.#led = false;
    if (startup ? !(await this.#lease.ensure(now)) : !this.isLeader) {
      loadFollowerView(this.#state, jobs, now);
      return;
    }
    await loadSchedule(this.#state, jobs, startup, now);
    this.#led = true;
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (!this.#running || this.#reloading) return;
    const { clock } = this.#options;
    this.#disarm();
    const next = this.#state.heap.peekTime();
    const untilNext = next === undefined ? Infinity : next - clock.now();
    const untilLook = this.#lease.untilLook(untilNext);
    if (untilLook === Infinity) return;
    // After a failed tick, not before the back-off is over (due fires stay due meanwhile).
    const wait = Math.max(untilLook, (this.#retryAt ?? 0) - clock.now());
    this.#timer = clock.setTimer(
      () => {
        this.#timer = undefined;
        this.#runTick();
      },
      Math.max(0, wait),
    );
  }

  #runTick(): void {
    this.#tick = this.#fireDue().finally(() => {
      this.#tick = undefined;
      this.#arm();
    });
  }

  /**
   * One tick. When the store fails (it is down, or another process holds SQLite's write lock),
   * the fires this tick took are put back, the next tick comes after a back-off (100 ms doubling
   * to 5 s), and fires that fell due meanwhile are recorded once the store is back: late, not
   * missed, if within their start deadline.
   */
  async #fireDue(): Promise<void> {
    const { clock, logger } = this.#options;
    const now = clock.now();
    this.#lastTickAt = now;
    const taken: TakenFire[] = [];
    let missed: readonly JobMissedFires[];
    try {
      missed = await this.#recordDue(now, taken);
    } catch (thrown) {
      putBackFires(this.#state, taken);
      if (isStoreFault(thrown)) this.#heldFrom ??= Math.min(now, this.#state.heap.peekTime() ?? now);
      this.#retryAt = now + this.#backoff.next();
      logStoreError(logger, thrown, {}, 'scheduler tick failed; trying again after a back-off');
      return;
    }
    this.#heldFrom = undefined;
    this.#retryAt = undefined;
    this.#backoff.reset();
    for (const { job, fires } of missed) {
      try {
        await recordMissed(this.#state, job, fires, 'the scheduler was late');
      } catch (thrown) {
        logStoreError(logger, thrown, { job }, 'recording missed fires failed');
      }
    }
  }

  /** Records the due fires as the leader (a follower's view moves on); answers the fires missed. */
  async #recordDue(now: number, taken: TakenFire[]): Promise<readonly JobMissedFires[]> {
    const wasLeader = this.isLeader;
    if (!(await this.#lease.ensure(now))) {
      this.#led = false;
      followTime(this.#state, now);
      return [];
    }
    // A lease that ran out while this node was busy, and that nobody else took meanwhile, goes
    // on from this node's own schedule: with 100,000 jobs a take-over reads as many cursors, and
    // one slower than the lease would make the next one (a leader taking over from itself).
    if (!wasLeader && !(this.#lease.resumed && this.#led)) {
      this.#led = false;
      let tookOver: boolean;
      try {
        tookOver = await takeOver(this.#state, now, this.#lease.held);
      } catch (thrown) {
        // Not led from the stored cursor yet: the next tick takes over again.
        this.#lease.markFollower();
        throw thrown;
      }
      if (!tookOver) {
        // Another node took the lease while this one was taking over: it follows.
        this.#lease.markFollower();
        followTime(this.#state, now);
        return [];
      }
      this.#led = true;
    }
    return recordDueFires(this.#state, now, taken, this.#heldFrom);
  }
}
