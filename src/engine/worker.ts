import type { ResolvedJob } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { LogStream, RunRecord, RunStatus, Store } from '../store/index.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { RunLogBuffer } from './run-log-buffer.ts';

/** What an executor reports about one run. */
export interface RunResult {
  readonly outcome: 'success' | 'warning' | 'failure' | 'critical' | 'skip' | 'timed_out' | 'cancelled';
  readonly exitCode?: number | null;
  readonly httpStatus?: number | null;
  readonly error?: string | null;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly truncated?: boolean;
}

export interface ExecuteInput {
  readonly run: RunRecord;
  readonly job: ResolvedJob;
  readonly signal: AbortSignal;
  readonly output: (stream: LogStream, chunk: string, truncated?: boolean) => void;
}

/** Runs one claimed run to its end; never throws for a failure of the work itself. */
export type ExecuteRun = (input: ExecuteInput) => Promise<RunResult>;

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
  /** Only these jobs (node tags); all when absent. */
  readonly jobFilter?: (job: ResolvedJob) => boolean;
  /** Called once a run's end is recorded (retries, chains, alerts hang off this). */
  readonly onRunFinished?: (run: RunRecord, status: RunStatus, result: RunResult) => Promise<void>;
}

interface ActiveRun {
  readonly run: RunRecord;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** The run status each executor outcome is recorded as. */
export const statusOfOutcome: { readonly [Outcome in RunResult['outcome']]: RunStatus } = {
  success: 'succeeded',
  warning: 'warning',
  failure: 'failed',
  critical: 'critical',
  skip: 'skipped',
  timed_out: 'timed_out',
  cancelled: 'cancelled',
};

/**
 * Claims due runs with a lease, executes them, renews the leases while they run, and records
 * how they ended. Per-job limits (`queue` runs one at a time, `max_parallel`) are applied at
 * claim time; the claim itself is a compare-and-set in the store.
 */
export class Worker {
  readonly #options: WorkerOptions;
  readonly #active = new Map<number, ActiveRun>();
  #jobs = new Map<string, ResolvedJob>();
  /** The jobs this node may claim, when node tags leave some out; undefined means every job. */
  #claimable: string[] | undefined;
  /** Jobs with a parallel limit, claimed separately up to it. */
  #limited: ResolvedJob[] = [];
  #running = false;
  #pumping: Promise<void> | undefined;
  #again = false;
  #wakeTimer: TimerHandle | undefined;
  #renewTimer: TimerHandle | undefined;

  constructor(options: WorkerOptions) {
    this.#options = options;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  setJobs(jobs: readonly ResolvedJob[]): void {
    const filter = this.#options.jobFilter;
    const mine = jobs.filter((job) => filter?.(job) ?? true);
    this.#jobs = new Map(mine.map((job) => [job.name, job]));
    // Naming every job in each claim would cost a 100,000-name list per poll: name them only
    // when some are left out. A run of a job no longer in the file is claimed and failed.
    this.#claimable = mine.length === jobs.length ? undefined : mine.map((job) => job.name);
    this.#limited = mine.filter((job) => limitOf(job) !== undefined);
  }

  start(jobs: readonly ResolvedJob[]): void {
    this.setJobs(jobs);
    this.#running = true;
    this.#scheduleRenew();
    this.wake();
  }

  /** Looks for due runs now (runs were queued, a slot came free). */
  wake(): void {
    if (!this.#running) return;
    if (this.#pumping !== undefined) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Stops runs this worker holds (cancelled elsewhere: `replace`, the API). */
  abort(runIds: readonly number[], reason: string): void {
    for (const id of runIds) this.#active.get(id)?.controller.abort(new Error(reason));
  }

  /**
   * Stops claiming; lets running work finish until `deadlineMs` from now, then stops it and
   * records that the daemon stopped it.
   */
  async drain(deadlineMs: number): Promise<void> {
    this.#running = false;
    const { clock } = this.#options;
    if (this.#wakeTimer !== undefined) clock.clearTimer(this.#wakeTimer);
    await this.#pumping;
    const all = Promise.all([...this.#active.values()].map((active) => active.done));
    let timer: TimerHandle | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = clock.setTimer(() => resolve('deadline'), deadlineMs);
    });
    const first = await Promise.race([all.then(() => 'done' as const), deadline]);
    if (timer !== undefined) clock.clearTimer(timer);
    if (first === 'deadline') {
      this.abort([...this.#active.keys()], 'shutdown: the daemon is stopping');
      await all;
    }
    if (this.#renewTimer !== undefined) clock.clearTimer(this.#renewTimer);
  }

  async #pump(): Promise<void> {
    const { store, clock, node, logger } = this.#options;
    const slots = this.#options.slots ?? 8;
    try {
      for (;;) {
        if (!this.#running) return;
        const free = slots - this.#active.size;
        if (free <= 0) return;
        const now = clock.now();
        const claimed = await this.#claim(free, now);
        for (const run of claimed) this.#start(run);
        if (claimed.length < free) break;
      }
      const next = await store.nextPendingRunAfter(this.#claimable);
      this.#armWake(next);
    } catch (thrown) {
      logger.error({ err: coerceError(thrown), node }, 'claiming runs failed; trying again shortly');
      this.#armWake(clock.now() + 1000);
    }
  }

  async #claim(free: number, now: number): Promise<readonly RunRecord[]> {
    const { store, node } = this.#options;
    const leaseMs = this.#leaseMs();
    const limited = this.#limited;
    if (this.#claimable?.length === 0) return [];
    const jobs = this.#claimable === undefined ? {} : { jobs: this.#claimable };
    if (limited.length === 0) return store.claimRuns({ node, now, limit: free, leaseMs, ...jobs });
    const limitedNames = limited.map((job) => job.name);
    const claimed = [
      ...(await store.claimRuns({
        node,
        now,
        limit: free,
        leaseMs,
        ...jobs,
        exclude: { jobs: limitedNames },
      })),
    ];
    const counts = new Map(
      (await store.countActiveRuns([...limitedNames])).map((count) => [count.job, count.running]),
    );
    for (const job of limited) {
      const room = Math.min((limitOf(job) ?? 0) - (counts.get(job.name) ?? 0), free - claimed.length);
      if (room <= 0) continue;
      claimed.push(...(await store.claimRuns({ node, now, limit: room, leaseMs, jobs: [job.name] })));
    }
    return claimed;
  }

  #start(run: RunRecord): void {
    const controller = new AbortController();
    const done = this.#execute(run, controller).finally(() => {
      this.#active.delete(run.id);
      this.wake();
    });
    this.#active.set(run.id, { run, controller, done });
  }

  async #execute(run: RunRecord, controller: AbortController): Promise<void> {
    const { store, clock, node, logger, execute } = this.#options;
    const job = this.#jobs.get(run.job);
    const logs = new RunLogBuffer(store, run.id, clock, logger);
    let result: RunResult;
    try {
      result =
        job === undefined
          ? { outcome: 'failure', error: `job "${run.job}" is no longer in the job file` }
          : await execute({
              run,
              job,
              signal: controller.signal,
              output: (stream, chunk, truncated) => logs.push(stream, chunk, truncated),
            });
    } catch (thrown) {
      result = { outcome: 'failure', error: coerceError(thrown).message };
    }
    await logs.flush();
    const status = statusOfOutcome[result.outcome];
    const finishedAt = clock.now();
    const reason = controller.signal.aborted ? coerceError(controller.signal.reason).message : null;
    try {
      const recorded = await store.finishRun(run.id, node, {
        status,
        finishedAt,
        exitCode: result.exitCode ?? null,
        httpStatus: result.httpStatus ?? null,
        error: result.error ?? null,
        reason,
      });
      if (result.metrics !== undefined && Object.keys(result.metrics).length > 0) {
        await store.recordMetrics(run.id, result.metrics, finishedAt);
      }
      if (recorded) await this.#options.onRunFinished?.(run, status, result);
    } catch (thrown) {
      logger.error({ err: coerceError(thrown), run: run.id }, 'recording the end of a run failed');
    }
  }

  #armWake(at: number | null): void {
    const { clock } = this.#options;
    if (!this.#running) return;
    if (this.#wakeTimer !== undefined) clock.clearTimer(this.#wakeTimer);
    const poll = this.#options.pollMs ?? 1000;
    const wait = at === null ? poll : Math.min(poll, Math.max(0, at - clock.now()));
    this.#wakeTimer = clock.setTimer(() => {
      this.#wakeTimer = undefined;
      this.wake();
    }, wait);
  }

  #leaseMs(): number {
    return this.#options.leaseMs ?? 30_000;
  }

  #scheduleRenew(): void {
    const { clock } = this.#options;
    this.#renewTimer = clock.setTimer(() => {
      void this.#renew().finally(() => {
        if (this.#running || this.#active.size > 0) this.#scheduleRenew();
      });
    }, this.#leaseMs() / 3);
  }

  async #renew(): Promise<void> {
    const { store, clock, node, logger } = this.#options;
    const ids = [...this.#active.keys()];
    if (ids.length === 0) return;
    try {
      const held = new Set(await store.renewLeases(node, ids, clock.now() + this.#leaseMs()));
      const gone = ids.filter((id) => !held.has(id));
      if (gone.length > 0) this.abort(gone, 'the run was cancelled or its lease was lost');
    } catch (thrown) {
      logger.error({ err: coerceError(thrown) }, 'renewing run leases failed');
    }
  }
}

/** How many runs of a job may run at once across all nodes, when limited. */
export function limitOf(job: ResolvedJob): number | undefined {
  if (job.maxParallel !== undefined) return job.maxParallel;
  return job.concurrency === 'queue' ? 1 : undefined;
}
