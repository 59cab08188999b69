import type { IncidentSink } from '../alerts/incident-sink.ts';
import { recordingSink } from '../alerts/incident-sink.ts';
import type { ResolvedJob } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import { defaultKillGraceMs } from '../executors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, RunStatus, StopListening, Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { Backoff, untilStored } from './backoff.ts';
import { claimDueRuns, limitOf } from './claim-due-runs.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { JobLogFiles } from './job-log-files.ts';
import { LeaseFence } from './lease-fence.ts';
import { reportMissedFires } from './report-missed-fires.ts';
import { RunLogBuffer } from './run-log-buffer.ts';
import type { ExecuteRun, RunResult } from './run-result.ts';
import { statusOfOutcome } from './run-result.ts';
import { missedFiresByJob, startDeadlinePassed } from './start-deadline.ts';

export interface WorkerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly execute: ExecuteRun;
  /** Runs this worker executes at once. */
  readonly slots?: number;
  readonly leaseMs?: number;
  /** How often to look for work that other nodes or delays made due. */
  readonly pollMs?: number;
  /**
   * Claims runs due within this many milliseconds and starts each at its due time from a local
   * timer, so the claim is not between the due moment and the start (default 250; 0: claim at
   * the due moment).
   */
  readonly claimAheadMs?: number;
  /** Only these jobs (node tags); all when absent. */
  readonly jobFilter?: (job: ResolvedJob) => boolean;
  /** Asked before each claim: false (a drain, a scheduler role, a job file unlike the leader's) claims nothing. */
  readonly mayClaim?: () => boolean;
  /**
   * Before claiming on a `runs_queued` signal, wait a random 0..this many real milliseconds
   * (default 10 on PostgreSQL, 0 on SQLite, which serves one node), so that the node whose
   * signal it was does not always claim first.
   */
  readonly wakeJitterMs?: number;
  /** For the wake-up jitter; Math.random by default. */
  readonly random?: () => number;
  /** Where scheduled runs claimed past their start deadline are reported (`schedule:missed`); recorded only, by default. */
  readonly incidents?: IncidentSink;
  /**
   * A run whose lease could not be renewed is stopped this long before the lease, as last
   * granted, expires (default: the kill grace and a second, at most half the lease), so that its
   * process group is gone before another node may take the run over.
   */
  readonly fenceMarginMs?: number;
  /** Called once a run's end is recorded, with the run as recorded (retries, chains, alerts hang off this). */
  readonly onRunFinished?: (run: RunRecord, status: RunStatus, result: RunResult) => Promise<void>;
}

/** Where a run this worker holds the lease of is: waiting for its due time, executing, or recording its end. */
const RunPhase = {
  held: 'held',
  executing: 'executing',
  finishing: 'finishing',
} as const;
type RunPhase = keyof typeof RunPhase;

interface TrackedRun {
  readonly run: RunRecord;
  readonly controller: AbortController;
  phase: RunPhase;
  /** Set when the run must not start (claimed past its start deadline): ends `skipped` with it. */
  readonly skipReason: string | undefined;
  /** Stopped because its lease could not be renewed: its end is not recorded (the run is lost). */
  fenced: boolean;
  /** Settles once the run's end is recorded (or recording it failed). */
  readonly done: Promise<void>;
  readonly settle: () => void;
}

export const defaultClaimAheadMs = 250;
export const defaultWakeJitterMs = 10;
/** The store signal that runs were queued: every node's worker looks for due runs. */
export const runsQueuedChannel = 'runs_queued';

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
 */
export class Worker {
  readonly #options: WorkerOptions;
  /** Every run this worker holds the lease of, in any phase. */
  readonly #runs = new Map<number, TrackedRun>();
  /** Held runs waiting for their due time, by due time. */
  readonly #held = new Map<number, TrackedRun[]>();
  #heldTimer: { readonly at: number; readonly handle: TimerHandle } | undefined;
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
  readonly #looking = new Set<Promise<void>>();
  #lookSeq = 0;
  #wakeTimer: TimerHandle | undefined;
  #renewTimer: TimerHandle | undefined;
  /** Waits between claims while the store fails. */
  readonly #backoff = new Backoff();
  /** No claim before this (the last one failed); undefined while the store works. */
  #retryAt: number | undefined;

  /** `log.file` of the jobs: output appended to files on this node, one queue per file. */
  readonly #logFiles: JobLogFiles;
  /** Stops runs whose lease is about to end unrenewed. */
  readonly #fence: LeaseFence;
  /** Missed-fire reports under way (`drain` waits for them). */
  readonly #reporting = new Set<Promise<void>>();
  /** Listening to `runs_queued` (resolves to its stop). */
  #listening: Promise<StopListening | undefined> | undefined;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#logFiles = new JobLogFiles({ logger: options.logger, clock: options.clock });
    const leaseMs = options.leaseMs ?? 30_000;
    this.#fence = new LeaseFence({
      clock: options.clock,
      marginMs: options.fenceMarginMs ?? Math.min(defaultKillGraceMs + 1000, leaseMs / 2),
      onExpiring: (runIds) => this.#fenceRuns(runIds),
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

  /** Starts claiming; resolves once it hears `runs_queued` signals (or listening failed: it polls). */
  async start(jobs: readonly ResolvedJob[]): Promise<void> {
    this.setJobs(jobs);
    this.#running = true;
    this.#scheduleRenew();
    this.#listening = this.#options.store
      .onSignal(runsQueuedChannel, () => this.#wakeJittered())
      .catch((thrown: unknown) => {
        logStoreError(this.#options.logger, thrown, {}, 'listening for queued runs failed; polling only');
        return undefined;
      });
    this.wake();
    await this.#listening;
  }

  /**
   * Runs were queued (or released, or made due): tells the workers of every node sharing the
   * store, this one included, which claim after a small random wait. When the signal cannot be
   * sent, this worker looks itself and the other nodes find the runs at their next poll.
   */
  async runsQueued(): Promise<void> {
    try {
      await this.#options.store.signal(runsQueuedChannel);
    } catch (thrown) {
      logStoreError(this.#options.logger, thrown, {}, 'signalling queued runs failed');
      this.wake();
    }
  }

  #wakeJittered(): void {
    const { store, random = Math.random } = this.#options;
    const jitterMs = this.#options.wakeJitterMs ?? (store.dialect === 'sqlite' ? 0 : defaultWakeJitterMs);
    if (jitterMs <= 0) {
      this.wake();
      return;
    }
    // Real time, not the engine's clock: it spreads a race between nodes, it is no schedule.
    setTimeout(() => this.wake(), random() * jitterMs);
  }

  /** Looks for due runs soon (runs were queued, a delay passed); wakes in one turn are one claim. */
  wake(): void {
    this.#mayHaveMore = true;
    this.#schedulePump();
  }

  /** Stops runs this worker holds (cancelled elsewhere: `replace`, the API). */
  abort(runIds: readonly number[], reason: string): void {
    for (const id of runIds) {
      const tracked = this.#runs.get(id);
      if (tracked === undefined || tracked.controller.signal.aborted) continue;
      tracked.controller.abort(new Error(reason));
      // A run still waiting for its due time ends now, without running.
      if (tracked.phase === RunPhase.held) {
        this.#unhold(tracked);
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
    (await this.#listening)?.();
    if (this.#wakeTimer !== undefined) clock.clearTimer(this.#wakeTimer);
    this.#wakeTimer = undefined;
    await this.#pumping;
    await Promise.all(this.#looking);
    const all = Promise.all([...this.#runs.values()].map((tracked) => tracked.done));
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
    if (this.#heldTimer !== undefined) clock.clearTimer(this.#heldTimer.handle);
    this.#heldTimer = undefined;
    if (this.#renewTimer !== undefined) clock.clearTimer(this.#renewTimer);
    this.#renewTimer = undefined;
    this.#fence.release();
    await Promise.all(this.#reporting);
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
      if (this.#retryAt !== undefined && this.#retryAt > this.#options.clock.now()) return;
      this.#pumping = this.#pump().finally(() => {
        this.#pumping = undefined;
        if (this.#again) {
          this.#again = false;
          this.#schedulePump();
        }
      });
    });
  }

  async #pump(): Promise<void> {
    const { clock, node, logger } = this.#options;
    try {
      for (;;) {
        if (!this.#running || this.#options.mayClaim?.() === false) return;
        const free = this.#free();
        // Full: look again when a slot frees.
        if (free <= 0) return;
        this.#mayHaveMore = false;
        const now = clock.now();
        const claimed = await this.#claim(free, now);
        this.#storeWorked();
        for (const run of claimed) this.#take(run, now);
        this.#reportMissed(claimed, now);
        if (claimed.length < free) {
          this.#lookAhead(now + this.#claimAheadMs());
          return;
        }
        this.#mayHaveMore = true;
      }
    } catch (thrown) {
      this.#mayHaveMore = true;
      logStoreError(logger, thrown, { node }, 'claiming runs failed; trying again after a back-off');
      this.#backOff();
    }
  }

  /** A store call failed: the next claim waits (100 ms doubling to 5 s). */
  #backOff(): void {
    const { clock } = this.#options;
    this.#retryAt = clock.now() + this.#backoff.next();
    this.#armWake(this.#retryAt, true);
  }

  #storeWorked(): void {
    this.#retryAt = undefined;
    this.#backoff.reset();
  }

  /**
   * After a claim that took every run it could reach (due by `reach`), asks the store when the
   * next pending run is due and wakes in time to claim it ahead, without holding up claims.
   */
  #lookAhead(reach: number): void {
    const looking = this.#wakeAtNextDue(++this.#lookSeq, reach);
    this.#looking.add(looking);
    void looking.finally(() => this.#looking.delete(looking));
  }

  async #wakeAtNextDue(seq: number, reach: number): Promise<void> {
    const { store, node, logger } = this.#options;
    try {
      const next = await store.nextPendingRunAfter(this.#claimable);
      this.#storeWorked();
      // A newer look knows better.
      if (seq !== this.#lookSeq) return;
      // A run the claim could reach and left is one this node may not take now (a job at its
      // limit): look again at the next poll, or when a run here ends, not over and over.
      if (next === null || next <= reach) this.#armWake(null);
      else this.#armWake(next - this.#claimAheadMs());
    } catch (thrown) {
      logStoreError(logger, thrown, { node }, 'looking for the next due run failed');
      if (seq === this.#lookSeq) this.#backOff();
    }
  }

  #claim(free: number, now: number): Promise<readonly RunRecord[]> {
    const { store, node } = this.#options;
    return claimDueRuns(store, {
      node,
      now,
      free,
      leaseMs: this.#leaseMs(),
      aheadMs: this.#claimAheadMs(),
      claimable: this.#claimable,
      limited: this.#limited,
    });
  }

  /** A claimed run: started now when due, else held until its due time. */
  #take(run: RunRecord, claimedAt: number): void {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const job = this.#jobs.get(run.job);
    const tracked: TrackedRun = {
      run,
      controller: new AbortController(),
      phase: RunPhase.held,
      skipReason: job === undefined ? undefined : startDeadlinePassed(job, run, claimedAt),
      fenced: false,
      done,
      settle,
    };
    this.#runs.set(run.id, tracked);
    this.#occupied++;
    if (run.leaseExpiresAt !== null) this.#fence.hold([run.id], run.leaseExpiresAt);
    if (run.runAfter <= this.#options.clock.now()) {
      this.#begin(tracked);
      return;
    }
    const waiting = this.#held.get(run.runAfter);
    if (waiting === undefined) this.#held.set(run.runAfter, [tracked]);
    else waiting.push(tracked);
    this.#armHeld();
  }

  #unhold(tracked: TrackedRun): void {
    const waiting = this.#held.get(tracked.run.runAfter);
    if (waiting === undefined) return;
    const index = waiting.indexOf(tracked);
    if (index !== -1) waiting.splice(index, 1);
    if (waiting.length === 0) this.#held.delete(tracked.run.runAfter);
  }

  /** One timer, at the earliest due time of the held runs. */
  #armHeld(): void {
    const { clock } = this.#options;
    let earliest = Infinity;
    for (const at of this.#held.keys()) if (at < earliest) earliest = at;
    if (this.#heldTimer !== undefined) {
      if (this.#heldTimer.at === earliest) return;
      clock.clearTimer(this.#heldTimer.handle);
      this.#heldTimer = undefined;
    }
    if (earliest === Infinity) return;
    const handle = clock.setTimer(() => {
      this.#heldTimer = undefined;
      this.#startDue();
    }, earliest - clock.now());
    this.#heldTimer = { at: earliest, handle };
  }

  #startDue(): void {
    const now = this.#options.clock.now();
    const due = [...this.#held.keys()].filter((at) => at <= now).sort((a, b) => a - b);
    for (const at of due) {
      const waiting = this.#held.get(at) ?? [];
      this.#held.delete(at);
      for (const tracked of waiting) this.#begin(tracked);
    }
    this.#armHeld();
  }

  /** Starts the work of a claimed run (or, when it was aborted while held, records it cancelled). */
  #begin(tracked: TrackedRun): void {
    tracked.phase = RunPhase.executing;
    const ended = (): void => {
      this.#runs.delete(tracked.run.id);
      tracked.settle();
    };
    this.#execute(tracked).then(ended, (thrown: unknown) => {
      this.#options.logger.error({ err: coerceError(thrown), run: tracked.run.id }, 'running a run failed');
      ended();
    });
  }

  async #execute(tracked: TrackedRun): Promise<void> {
    const { store, clock, node, logger, execute } = this.#options;
    const { run, controller } = tracked;
    const job = this.#jobs.get(run.job);
    const startedAt = clock.now();
    // Made on the first output: a run that prints nothing starts without one.
    let logs: RunLogBuffer | undefined;
    const skipReason = tracked.skipReason;
    const logFile = job === undefined || skipReason !== undefined ? undefined : this.#logFiles.open(job, run);
    let result: RunResult;
    try {
      if (skipReason !== undefined) {
        result = { outcome: 'skip' };
      } else if (controller.signal.aborted) {
        result = { outcome: 'cancelled', error: coerceError(controller.signal.reason).message };
      } else if (job === undefined) {
        result = { outcome: 'failure', error: `job "${run.job}" is no longer in the job file` };
      } else {
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
    this.#fence.drop(run.id);
    this.#occupied--;
    this.#finishing++;
    if (this.#mayHaveMore) this.#schedulePump();
    try {
      if (logs !== undefined) await logs.flush();
      await logFile?.end();
      // Its lease ran out unrenewed: another node's sweep records it lost (and retries it).
      if (tracked.fenced) return;
      const status = statusOfOutcome[result.outcome];
      const finishedAt = clock.now();
      const reason =
        skipReason ?? (controller.signal.aborted ? coerceError(controller.signal.reason).message : null);
      // The numbers are written before the end: whoever sees the run ended sees what it reported.
      const metrics = result.metrics;
      if (metrics !== undefined && Object.keys(metrics).length > 0) {
        await untilStored(clock, this.#leaseMs(), () => store.recordMetrics(run.id, metrics, finishedAt));
      }
      // The claim recorded when the work was to begin (before its answer came back, or the due
      // time of a run claimed ahead); the finish records when it did.
      // Both are tried again while the store is away, for as long as the run's lease lasts (it is
      // renewed meanwhile): the run was done, and a store away for a few seconds must not lose that.
      const recorded = await untilStored(clock, this.#leaseMs(), () =>
        store.finishRun(run.id, node, {
          status,
          finishedAt,
          exitCode: result.exitCode ?? null,
          httpStatus: result.httpStatus ?? null,
          error: result.error ?? null,
          reason,
          // A run skipped at its claim never began: it starts and ends at once.
          startedAt: skipReason === undefined ? Math.min(startedAt, finishedAt) : finishedAt,
        }),
      );
      if (recorded) {
        const ended: RunRecord = {
          ...run,
          status,
          statusReason: reason,
          startedAt: skipReason === undefined ? Math.min(startedAt, finishedAt) : finishedAt,
          finishedAt,
          exitCode: result.exitCode ?? null,
          httpStatus: result.httpStatus ?? null,
          error: result.error ?? null,
        };
        await this.#options.onRunFinished?.(ended, status, result);
      }
    } catch (thrown) {
      logger.error({ err: coerceError(thrown), run: run.id }, 'recording the end of a run failed');
    } finally {
      this.#finishing--;
      // A run of a limited job ended: one of its waiting runs may be claimed now.
      if (job !== undefined && limitOf(job) !== undefined) this.wake();
      else if (this.#mayHaveMore) this.#schedulePump();
    }
  }

  /** Wakes at `at` (at the latest after a poll interval, unless backing off), or after a poll interval. */
  #armWake(at: number | null, backingOff = false): void {
    const { clock } = this.#options;
    if (!this.#running) return;
    if (this.#wakeTimer !== undefined) clock.clearTimer(this.#wakeTimer);
    const poll = this.#options.pollMs ?? 1000;
    const until = at === null ? poll : Math.max(0, at - clock.now());
    const wait = backingOff ? until : Math.min(poll, until);
    this.#wakeTimer = clock.setTimer(() => {
      this.#wakeTimer = undefined;
      this.wake();
    }, wait);
  }

  #leaseMs(): number {
    return this.#options.leaseMs ?? 30_000;
  }

  #claimAheadMs(): number {
    return this.#options.claimAheadMs ?? defaultClaimAheadMs;
  }

  #scheduleRenew(): void {
    const { clock } = this.#options;
    this.#renewTimer = clock.setTimer(() => {
      void this.#renew().finally(() => {
        if (this.#running || this.#runs.size > 0) this.#scheduleRenew();
      });
    }, this.#leaseMs() / 3);
  }

  async #renew(): Promise<void> {
    const { store, clock, node, logger } = this.#options;
    const ids = [...this.#runs.keys()];
    if (ids.length === 0) return;
    try {
      const until = clock.now() + this.#leaseMs();
      const held = new Set(await store.renewLeases(node, ids, until));
      this.#fence.renewed([...held], until);
      const gone = ids.filter((id) => !held.has(id) && this.#runs.get(id)?.phase !== RunPhase.finishing);
      if (gone.length > 0) this.abort(gone, 'the run was cancelled or its lease was lost');
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'renewing run leases failed');
    }
  }

  /**
   * Runs whose lease is about to end unrenewed (the store is away): stopped now, their process
   * groups killed, their end left unrecorded; another node's sweep marks them lost once the lease
   * has expired and retries them per their policy.
   */
  #fenceRuns(runIds: readonly number[]): void {
    const { logger, node } = this.#options;
    const stopping: number[] = [];
    for (const id of runIds) {
      const tracked = this.#runs.get(id);
      if (tracked === undefined || tracked.phase === RunPhase.finishing) continue;
      tracked.fenced = true;
      stopping.push(id);
    }
    if (stopping.length === 0) return;
    logger.error(
      { node, runs: stopping },
      `stopping ${stopping.length} run(s): their lease could not be renewed and is about to expire (fencing)`,
    );
    this.abort(stopping, 'fenced: the lease could not be renewed (the store is unreachable)');
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
