import { recordingSink } from '../incidents/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import type { InsertAndClaimResult, InsertRunsResult, NewRun, RunRecord } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { claimDueRuns, limitOf, unlimitedClaim } from './claim-due-runs.ts';
import type { ClaimDueRunsInput } from './claim-due-runs.ts';
import type { TimerHandle } from '../clock/index.ts';
import { HeldRuns } from './held-runs.ts';
import { JobLogFiles } from './job-log-files.ts';
import { recordRunEnd } from './record-run-end.ts';
import { reportMissedFires } from './report-missed-fires.ts';
import { RunLeases } from './run-leases.ts';
import { RunLogBuffer } from './run-log-buffer.ts';
import type { RunResult } from './run-result.ts';
import { missedFiresByJob, startDeadlinePassed } from './start-deadline.ts';
import { RunPhase, trackRun } from './tracked-run.ts';
import type { TrackedRun } from './tracked-run.ts';
import { WakeUps } from './wake-ups.ts';
import type { WorkerOptions } from './worker-options.ts';
import { claimAheadMs, runLeaseMs } from './worker-options.ts';

export { defaultClaimAheadMs } from './worker-options.ts';
export type { WorkerOptions } from './worker-options.ts';
export { defaultWakeJitterMs, runsQueuedChannel } from './wake-ups.ts';

/**
 * Claims due runs with a lease, executes them, renews the leases while they run, and records
 * how they ended. Per-job limits (`queue` runs one at a time, `max_parallel`) are applied at
 * claim time; the claim itself is a compare-and-set in the store.
 *
 * The claim loop is built for few, large round trips: wakes within one turn of the event loop
 * are one claim; a slot frees as soon as the work ends, so the next claim overlaps the writing
 * of the last outcomes; and a freed slot claims only when the store may hold more due runs (the
 * last claim came back full, or runs were queued since). Runs due within `claimAheadMs` are
 * claimed ahead and started by a local timer at their due time.
 *
 * This class runs the claim loop and the execution; the parts are beside it: when it looks
 * (`wake-ups.ts`), the runs claimed ahead (`held-runs.ts`), the leases and fencing
 * (`run-leases.ts`), the recording of a run's end (`record-run-end.ts`).
 */
export class Worker {
  readonly #options: WorkerOptions;
  /** Every run this worker holds the lease of, in any phase. */
  readonly #runs = new Map<number, TrackedRun>();
  /** Held runs waiting for their due time. */
  readonly #held: HeldRuns;
  /** Runs held or executing: they take a slot. */
  #occupied = 0;
  /** Runs whose outcome is being recorded. */
  #finishing = 0;
  #jobs = new Map<string, ResolvedJob>();
  /** The jobs this node may claim, when node tags leave some out; undefined means every job. */
  #claimable: string[] | undefined;
  /** Jobs with a parallel limit, claimed separately up to it. */
  #limited: ResolvedJob[] = [];
  #running = false;
  /** The store may hold due runs this worker has not claimed. */
  #mayHaveMore = false;
  #pumpScheduled = false;
  #pumping: Promise<void> | undefined;
  #again = false;
  /** Signals, look-ahead, poll and back-off. */
  readonly #wakes: WakeUps;
  /** Renews the runs' leases; stops runs whose lease is about to end unrenewed. */
  readonly #leases: RunLeases;

  /** `log.file` of the jobs: output appended to files on this node, one queue per file. */
  readonly #logFiles: JobLogFiles;
  /** `drain` waiting for the last run to end. */
  #idleWaiters: (() => void)[] = [];
  /** Missed-fire reports under way (`drain` waits for them). */
  readonly #reporting = new Set<Promise<void>>();

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#logFiles = new JobLogFiles({ logger: options.logger, clock: options.clock });
    this.#held = new HeldRuns(options.clock, (tracked) => this.#begin(tracked));
    const running = (): boolean => this.#running;
    this.#wakes = new WakeUps({ options, wake: () => this.wake(), running });
    this.#leases = new RunLeases({
      options,
      runs: this.#runs,
      abort: (runIds, reason) => this.abort(runIds, reason),
      running,
    });
  }

  /** Runs this worker holds: waiting for their due time, executing, or recording their end. */
  get activeCount(): number {
    return this.#runs.size;
  }

  setJobs(jobs: readonly ResolvedJob[]): void {
    const filter = this.#options.jobFilter;
    const mine = filter === undefined ? jobs : jobs.filter(filter);
    this.#jobs = new Map(mine.map((job) => [job.name, job]));
    // Naming every job in each claim would cost a 100,000-name list per poll: name them only
    // when some are left out. A run of a job no longer in the file is claimed and failed.
    this.#claimable = mine.length === jobs.length ? undefined : mine.map((job) => job.name);
    this.#limited = mine.filter((job) => limitOf(job) !== undefined);
  }

  /**
   * Adds, replaces or removes some jobs (defined through the API) without rebuilding the others'
   * index: 100,000 jobs change one at a time.
   */
  updateJobs(upserts: readonly ResolvedJob[], removes: readonly string[]): void {
    const filter = this.#options.jobFilter;
    let limitsChanged = false;
    let leftOut = false;
    const drop = (name: string): void => {
      const known = this.#jobs.get(name);
      if (known !== undefined && limitOf(known) !== undefined) limitsChanged = true;
      this.#jobs.delete(name);
    };
    for (const name of removes) drop(name);
    for (const job of upserts) {
      drop(job.name);
      if (filter !== undefined && !filter(job)) {
        leftOut = true;
        continue;
      }
      this.#jobs.set(job.name, job);
      if (limitOf(job) !== undefined) limitsChanged = true;
    }
    if (this.#claimable !== undefined || leftOut) this.#claimable = [...this.#jobs.keys()];
    if (limitsChanged) this.#limited = [...this.#jobs.values()].filter((job) => limitOf(job) !== undefined);
  }

  /** Starts claiming; resolves once it hears `runs_queued` signals (or listening failed: it polls). */
  async start(jobs: readonly ResolvedJob[]): Promise<void> {
    this.setJobs(jobs);
    this.#running = true;
    this.#leases.start();
    const listening = this.#wakes.listen();
    this.wake();
    await listening;
  }

  /**
   * Runs were queued (or released, or made due) and stored: tells the workers of every node
   * sharing the store, this one included, which claim after a small random wait. A worker alone
   * on the store looks at once instead, without waiting for its own signal to come back (see
   * `wake-ups.ts`). When the signal cannot be sent, this worker looks itself and the other nodes
   * find the runs at their next poll.
   */
  runsQueued(): Promise<void> {
    return this.#wakes.signal();
  }

  /**
   * Queues runs this node wants started (a trigger, a chained start) and, when this worker may
   * take runs at once, claims in the same store transaction (`insertAndClaimRuns`): alone on the
   * store, claiming, with a free slot, no claim of its own under way or due this turn, not backing
   * off. The claim is the one a wake-up would make (claim order, this node's jobs, jobs with a
   * parallel limit left to the claim loop), so the runs queued start after one durable commit
   * instead of an insert's and a claim's. Otherwise, and for runs recorded but not claimed, the
   * runs are signalled as queued (`runsQueued`). A failed insert rejects, as `insertRuns` does.
   */
  async queueRuns(runs: readonly NewRun[]): Promise<InsertRunsResult> {
    const { store, clock } = this.#options;
    const now = clock.now();
    const free = this.#free();
    if (!this.#mayTakeAtOnce(free, now)) {
      const result = await store.insertRuns(runs);
      await this.runsQueued();
      return result;
    }
    const queuing = store.insertAndClaimRuns(runs, unlimitedClaim(this.#claimInput(free, now)));
    // Stands for a claim of the loop meanwhile: wake-ups wait for it, and the slots add up.
    const settled = queuing.then(
      (result) => {
        this.#wakes.storeWorked();
        // Every run it queued taken: the runs waiting are those the last look saw, less some it
        // took, so the wake-up that look armed stands (no look for the next due run per trigger).
        this.#afterClaim(result.claimed, free, now, undefined, leftUnclaimed(result));
      },
      () => {
        this.#mayHaveMore = true;
      },
    );
    this.#pumping = settled.finally(() => this.#pumpSettled());
    const result = await queuing;
    if (leftUnclaimed(result)) await this.runsQueued();
    return { inserted: result.inserted, duplicates: result.duplicates };
  }

  /** Whether `queueRuns` may claim what it queues (see there). */
  #mayTakeAtOnce(free: number, now: number): boolean {
    return (
      free > 0 &&
      this.#running &&
      this.#pumping === undefined &&
      !this.#pumpScheduled &&
      this.#claimable?.length !== 0 &&
      this.#wakes.alone &&
      !this.#wakes.backingOff(now) &&
      this.#options.mayClaim?.() !== false
    );
  }

  /** Looks for due runs soon (runs were queued, a delay passed); wakes in one turn are one claim. */
  wake(): void {
    this.#mayHaveMore = true;
    this.#schedulePump();
  }

  /**
   * Settles once no claim, look-ahead or poll is under way or about to start (a wake-up in this
   * turn of the event loop included).
   */
  async settled(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#pumping === undefined && !this.#pumpScheduled && this.#wakes.idle) return;
      await this.#pumping;
      await this.#wakes.settled();
    }
  }

  /** Stops runs this worker holds (cancelled elsewhere: `replace`, the API). */
  abort(runIds: readonly number[], reason: string): void {
    for (const id of runIds) {
      const tracked = this.#runs.get(id);
      if (tracked === undefined || tracked.controller.signal.aborted) continue;
      tracked.controller.abort(new Error(reason));
      // A run still waiting for its due time ends now, without running.
      if (tracked.phase === RunPhase.held) {
        this.#held.unhold(tracked);
        this.#begin(tracked);
      }
    }
  }

  /**
   * Stops claiming; lets running work (and runs claimed ahead, at their due time) finish until
   * `deadlineMs` from now, then stops it and records that the daemon stopped it.
   */
  async drain(deadlineMs: number): Promise<void> {
    this.#running = false;
    const { clock } = this.#options;
    await this.#wakes.stop();
    await this.#pumping;
    await this.#wakes.settled();
    const all = this.#whenIdle();
    let timer: TimerHandle | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = clock.setTimer(() => resolve('deadline'), deadlineMs);
    });
    const first = await Promise.race([all.then(() => 'done' as const), deadline]);
    if (timer !== undefined) clock.clearTimer(timer);
    if (first === 'deadline') {
      this.abort([...this.#runs.keys()], 'shutdown: the daemon is stopping');
      await all;
    }
    this.#held.release();
    this.#leases.release();
    await Promise.all(this.#reporting);
  }

  /** Resolves once this worker holds no run: each one's end recorded (or recording it failed). */
  #whenIdle(): Promise<void> {
    if (this.#runs.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #tellIdle(): void {
    const waiters = this.#idleWaiters;
    if (waiters.length === 0) return;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #slots(): number {
    return this.#options.slots ?? 8;
  }

  /**
   * Slots free to claim into. A run whose work ended frees its slot while its outcome is written;
   * outcomes waiting to be written beyond two slot-fulls hold claims back, so a slow store is not
   * handed more work than it can record.
   */
  #free(): number {
    const slots = this.#slots();
    return slots - this.#occupied - Math.max(0, this.#finishing - 2 * slots);
  }

  #schedulePump(): void {
    if (!this.#running) return;
    if (this.#pumping !== undefined) {
      this.#again = true;
      return;
    }
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      if (!this.#running || this.#pumping !== undefined) return;
      // Backing off after a failed claim: the wake timer claims when the back-off is over.
      if (this.#wakes.backingOff(this.#options.clock.now())) return;
      this.#pumping = this.#pump().finally(() => this.#pumpSettled());
    });
  }

  /** A claim (of the loop, or `queueRuns`'s) is over: a wake-up that came meanwhile claims now. */
  #pumpSettled(): void {
    this.#pumping = undefined;
    if (this.#again) {
      this.#again = false;
      this.#schedulePump();
    }
  }

  async #pump(): Promise<void> {
    const { clock, node, logger } = this.#options;
    // Read by a poll before this claim: what it vouches for is claimed below.
    const mark = this.#wakes.takeMark();
    try {
      for (;;) {
        if (!this.#running || this.#options.mayClaim?.() === false) return;
        const free = this.#free();
        // Full: look again when a slot frees.
        if (free <= 0) return;
        this.#mayHaveMore = false;
        const now = clock.now();
        const claimed = await this.#claim(free, now);
        this.#wakes.storeWorked();
        if (!this.#afterClaim(claimed, free, now, mark)) return;
      }
    } catch (thrown) {
      this.#mayHaveMore = true;
      logStoreError(logger, thrown, { node }, 'claiming runs failed; trying again after a back-off');
      this.#wakes.backOff();
    }
  }

  /**
   * Takes the runs a claim of `free` slots brought; answers whether the store may hold more (the
   * claim came back full). Otherwise it looks for the next due run (`mark`: see `#pump`) unless
   * told the look armed before still stands (`lookAhead` false).
   */
  #afterClaim(
    claimed: readonly RunRecord[],
    free: number,
    now: number,
    mark: string | undefined,
    lookAhead = true,
  ): boolean {
    for (const run of claimed) this.#take(run, now);
    this.#reportMissed(claimed, now);
    if (claimed.length < free) {
      if (lookAhead) this.#wakes.lookAhead(now + claimAheadMs(this.#options), this.#claimable, mark);
      return false;
    }
    this.#mayHaveMore = true;
    return true;
  }

  #claim(free: number, now: number): Promise<readonly RunRecord[]> {
    return claimDueRuns(this.#options.store, this.#claimInput(free, now));
  }

  #claimInput(free: number, now: number): ClaimDueRunsInput {
    return {
      node: this.#options.node,
      now,
      free,
      leaseMs: runLeaseMs(this.#options),
      aheadMs: claimAheadMs(this.#options),
      claimable: this.#claimable,
      limited: this.#limited,
    };
  }

  /** A claimed run: started now when due, else held until its due time. */
  #take(run: RunRecord, claimedAt: number): void {
    const job = this.#jobs.get(run.job);
    const tracked = trackRun(run, job === undefined ? undefined : startDeadlinePassed(job, run, claimedAt));
    this.#runs.set(run.id, tracked);
    this.#occupied++;
    if (run.leaseExpiresAt !== null) this.#leases.hold(run.id, run.leaseExpiresAt);
    if (run.runAfter <= this.#options.clock.now()) {
      this.#begin(tracked);
      return;
    }
    this.#held.hold(tracked);
  }

  /** Starts the work of a claimed run (or, when it was aborted while held, records it cancelled). */
  #begin(tracked: TrackedRun): void {
    tracked.phase = RunPhase.executing;
    // #execute never rejects: its own failures are logged.
    void this.#execute(tracked);
  }

  /** The run's work and the recording of its end; never rejects (a failure of its own is logged). */
  async #execute(tracked: TrackedRun): Promise<void> {
    try {
      const { store, clock, logger, execute } = this.#options;
      const { run, controller } = tracked;
      const job = this.#jobs.get(run.job);
      const startedAt = clock.now();
      // Made on the first output: a run that prints nothing starts without one.
      let logs: RunLogBuffer | undefined;
      const skipReason = tracked.skipReason;
      const logFile =
        job === undefined || skipReason !== undefined ? undefined : this.#logFiles.open(job, run);
      let result: RunResult;
      try {
        if (skipReason !== undefined) {
          result = { outcome: 'skip' };
        } else if (controller.signal.aborted) {
          result = { outcome: 'cancelled', error: coerceError(controller.signal.reason).message };
        } else if (job === undefined) {
          result = { outcome: 'failure', error: `job "${run.job}" is no longer in the job file` };
        } else {
          this.#tellStarted(run);
          result = await execute({
            run,
            job,
            signal: controller.signal,
            output: (stream, chunk, truncated) => {
              logs ??= new RunLogBuffer(store, run.id, clock, logger);
              logs.push(stream, chunk, truncated);
              logFile?.write(stream, chunk, truncated);
            },
          });
        }
      } catch (thrown) {
        result = { outcome: 'failure', error: coerceError(thrown).message };
      }
      // The work is over: its slot is free while the outcome is written.
      tracked.phase = RunPhase.finishing;
      this.#leases.drop(run.id);
      this.#occupied--;
      this.#finishing++;
      if (this.#mayHaveMore) this.#schedulePump();
      try {
        if (logs !== undefined) await logs.flush();
        await logFile?.end();
        // Its lease ran out unrenewed: another node's sweep records it lost (and retries it).
        if (tracked.fenced) return;
        const reason =
          skipReason ?? (controller.signal.aborted ? coerceError(controller.signal.reason).message : null);
        await recordRunEnd(this.#options, run, { result, startedAt, skipReason, reason });
      } catch (thrown) {
        logger.error({ err: coerceError(thrown), run: run.id }, 'recording the end of a run failed');
      } finally {
        this.#finishing--;
        // A run of a limited job ended: one of its waiting runs may be claimed now.
        if (job !== undefined && limitOf(job) !== undefined) this.wake();
        else if (this.#mayHaveMore) this.#schedulePump();
      }
    } catch (thrown) {
      this.#options.logger.error({ err: coerceError(thrown), run: tracked.run.id }, 'running a run failed');
    } finally {
      this.#runs.delete(tracked.run.id);
      if (this.#runs.size === 0) this.#tellIdle();
    }
  }

  #tellStarted(run: RunRecord): void {
    try {
      this.#options.onRunStarted?.(run);
    } catch (thrown) {
      this.#options.logger.error({ err: coerceError(thrown), run: run.id }, 'a run-start listener failed');
    }
  }

  /** Scheduled runs claimed past their start deadline: reported missed, one report per job. */
  #reportMissed(claimed: readonly RunRecord[], claimedAt: number): void {
    const late = claimed.filter((run) => this.#runs.get(run.id)?.skipReason !== undefined);
    if (late.length === 0) return;
    const { store, clock, logger } = this.#options;
    const incidents = this.#options.incidents ?? recordingSink(store, clock);
    const why = `claimed at ${new Date(claimedAt).toISOString()}, past the start deadline`;
    for (const [job, missed] of missedFiresByJob(late)) {
      const reporting = reportMissedFires({ incidents, logger }, job, missed, why).catch(
        (thrown: unknown) => {
          logStoreError(logger, thrown, { job }, 'recording missed fires failed');
        },
      );
      this.#reporting.add(reporting);
      void reporting.finally(() => this.#reporting.delete(reporting));
    }
  }
}

/** Whether an insert with a claim left some of the runs it recorded waiting. */
function leftUnclaimed(result: InsertAndClaimResult): boolean {
  if (result.claimed.length < result.inserted.length) return true;
  const claimedIds = new Set(result.claimed.map((run) => run.id));
  return result.inserted.some((run) => !claimedIds.has(run.id));
}
