import type { ResolvedConfig, ResolvedJob } from '../config/index.ts';
import { CronplaneError, coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { JsonValue, NewRun, RunRecord, RunStatus, Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import type { Clock, TimerHandle } from '../clock/index.ts';
import type { IncidentSink } from '../incidents/index.ts';
import { recordingSink } from '../incidents/index.ts';
import type { RunEndListener } from './run-end.ts';
import { insertTriggeredRuns, recordRunsInCooldown } from './cooldown.ts';
import { planFire } from './plan-fire.ts';
import { planManualRuns } from './plan-manual-runs.ts';
import { planRetry } from './plan-retry.ts';
import { retryDelay } from '../backoff/index.ts';
import { shouldRetry } from './retry-policy.ts';
import { Scheduler } from './scheduler.ts';
import { FileJobToSync } from './file-job-to-sync.ts';
import type { ExecuteRun, RunResult } from './run-result.ts';
import { Worker } from './worker.ts';

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  readonly execute: ExecuteRun;
  /** Runs executed at once on this node. */
  readonly slots?: number;
  /** Lease of a running run; renewed every third of it. A dead node's runs are lost after it. */
  readonly runLeaseMs?: number;
  readonly pollMs?: number;
  /** The scheduler leader lease (default 1,500 ms) and how often a follower looks for it (250 ms). */
  readonly leaderLeaseMs?: number;
  readonly leaderPollMs?: number;
  /** Tags of this node: a job with node_tags runs only where all of them are present. */
  readonly nodeTags?: readonly string[];
  /** Fire schedules (false for a node that only works, and for `cronplane run`). */
  readonly schedule?: boolean;
  /** Where missed fires and lost runs go; recorded as events only, by default. */
  readonly incidents?: IncidentSink;
  /**
   * Told of every run's end (lost runs too) after retries were decided: the alerting watchers
   * hang off this. A listener's error is logged and never stops the engine.
   */
  readonly onRunEnded?: RunEndListener;
  /** Told when this node starts a run's work; an error it throws is logged and changes nothing. */
  readonly onRunStarted?: (run: RunRecord) => void;
  /** This process's instance id: the owner of the leader lease (default `node`). */
  readonly instanceId?: string;
  /** Whether this node may lead (take the scheduler lease) now; always by default. */
  readonly mayLead?: () => boolean;
  /** Called when this node becomes the scheduler leader, after the jobs table is synced (the node learns it leads). */
  readonly onLead?: () => Promise<void>;
  /** Whether this node may claim runs now; always by default. */
  readonly mayClaim?: () => boolean;
  /**
   * Whether this node may write its job file into the `jobs` table now (the leader's file is the
   * cluster's file); always by default. A node that becomes the leader writes it then.
   */
  readonly maySyncJobs?: () => boolean;
  /**
   * Told of the jobs defined through the API that came into force, changed or left without a
   * reload (`applyApiJobs`), so what watches jobs (alerts, watchers, the queue drainer) follows.
   */
  readonly onApiJobsApplied?: (changed: readonly ResolvedJob[], removed: readonly string[]) => void;
}

export interface TriggerInput {
  readonly job: string;
  readonly trigger?: 'manual' | 'api';
  readonly requestedBy?: string | null;
  /** Overrides or adds placeholder values; with fan-out, `fan_key` picks one entry. */
  readonly params?: Readonly<Record<string, string>>;
  readonly payload?: JsonValue | null;
  readonly dryRun?: boolean;
  /** Runs it even inside the job's `cooldown` (recorded with the run); refused there otherwise. */
  readonly force?: boolean;
}

/**
 * The durable engine of one node: the scheduler (when this node fires), the worker, and what
 * happens after a run ends (retries with back-off, chained jobs, lost runs).
 */
export class Engine {
  readonly #options: EngineOptions;
  readonly #incidentSink: IncidentSink;
  readonly scheduler: Scheduler;
  readonly worker: Worker;
  /** The jobs of the job file. */
  #jobs = new Map<string, ResolvedJob>();
  /** Jobs defined through the API (never the name of a job of the file), with their versions. */
  readonly #apiJobs = new Map<string, { readonly job: ResolvedJob; readonly version: number }>();
  #dependents = new Map<string, ResolvedJob[]>();
  #sweepTimer: TimerHandle | undefined;
  /** Run-end listeners under way: they do not hold the worker's slot, and `drain` waits for them. */
  readonly #listening = new Set<Promise<void>>();
  #running = false;
  /** The job set in force, and whether the `jobs` table holds it (written by this node). */
  #config: { readonly jobs: readonly ResolvedJob[]; synced: boolean } = { jobs: [], synced: true };

  constructor(options: EngineOptions) {
    this.#options = options;
    // Recorded only, unless the daemon gives its Alerter: one sink for the engine and its scheduler.
    this.#incidentSink = options.incidents ?? recordingSink(options.store, options.clock);
    this.scheduler = new Scheduler({
      store: options.store,
      clock: options.clock,
      node: options.node,
      logger: options.logger,
      onRunsQueued: () => void this.worker.runsQueued(),
      onRunsCancelled: (ids) => this.worker.abort(ids, 'cancelled: a newer fire replaced it'),
      incidents: this.#incidentSink,
      ...(options.leaderLeaseMs === undefined ? {} : { leaseMs: options.leaderLeaseMs }),
      ...(options.leaderPollMs === undefined ? {} : { pollMs: options.leaderPollMs }),
      ...(options.instanceId === undefined ? {} : { leaseOwner: options.instanceId }),
      ...(options.mayLead === undefined ? {} : { mayLead: options.mayLead }),
      onLead: async () => {
        await this.#syncJobs(true);
        await options.onLead?.();
      },
    });
    const tags = new Set(options.nodeTags ?? []);
    this.worker = new Worker({
      store: options.store,
      clock: options.clock,
      node: options.node,
      logger: options.logger,
      execute: options.execute,
      ...(options.slots === undefined ? {} : { slots: options.slots }),
      ...(options.runLeaseMs === undefined ? {} : { leaseMs: options.runLeaseMs }),
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      jobFilter: (job) => job.nodeTags.every((tag) => tags.has(tag)),
      ...(options.mayClaim === undefined ? {} : { mayClaim: options.mayClaim }),
      incidents: this.#incidentSink,
      ...(options.onRunStarted === undefined ? {} : { onRunStarted: options.onRunStarted }),
      onRunFinished: (run, status, result) => this.#afterRun(run, status, result),
    });
  }

  /** The jobs in force: the job file's, then those defined through the API. */
  get jobs(): readonly ResolvedJob[] {
    const api: ResolvedJob[] = [];
    for (const [name, entry] of this.#apiJobs) if (!this.#jobs.has(name)) api.push(entry.job);
    return [...this.#jobs.values(), ...api];
  }

  /** Whether the job of that name was defined through the API (not the job file). */
  isApiJob(name: string): boolean {
    return this.#apiJobs.has(name) && !this.#jobs.has(name);
  }

  /** The version of an API job in force on this node (0 when none). */
  apiJobVersion(name: string): number {
    return this.#apiJobs.get(name)?.version ?? 0;
  }

  /**
   * Applies jobs written through the API (a version not newer than the one in force is skipped)
   * and removes deleted ones, incrementally: the scheduler's heap and the worker's index change
   * for these jobs only. A name the job file has stays the file's job.
   */
  async applyApiJobs(
    upserts: readonly { readonly job: ResolvedJob; readonly version: number }[],
    removes: readonly { readonly name: string; readonly version: number }[],
  ): Promise<void> {
    const changed: ResolvedJob[] = [];
    const removed: string[] = [];
    for (const { name, version } of removes) {
      const known = this.#apiJobs.get(name);
      if (known === undefined || known.version >= version) continue;
      this.#apiJobs.delete(name);
      if (!this.#jobs.has(name)) removed.push(name);
    }
    for (const entry of upserts) {
      const known = this.#apiJobs.get(entry.job.name);
      if (known !== undefined && known.version >= entry.version) continue;
      this.#apiJobs.set(entry.job.name, entry);
      if (!this.#jobs.has(entry.job.name)) changed.push(entry.job);
    }
    if (changed.length === 0 && removed.length === 0) return;
    this.#updateDependents(changed, removed);
    this.worker.updateJobs(changed, removed);
    if (this.#options.schedule !== false && this.#running) await this.scheduler.updateJobs(changed, removed);
    this.worker.wake();
    try {
      this.#options.onApiJobsApplied?.(changed, removed);
    } catch (thrown) {
      this.#options.logger.error(
        { err: coerceError(thrown) },
        'a listener of API job changes failed; the engine goes on',
      );
    }
  }

  /** Replaces every API job (start-up, or the job file they resolve against changed). */
  setApiJobs(entries: readonly { readonly job: ResolvedJob; readonly version: number }[]): void {
    this.#apiJobs.clear();
    for (const entry of entries) this.#apiJobs.set(entry.job.name, entry);
  }

  #job(name: string): ResolvedJob | undefined {
    return this.#jobs.get(name) ?? this.#apiJobs.get(name)?.job;
  }

  getJobOrThrow(name: string): ResolvedJob {
    const job = this.#job(name);
    if (job === undefined) {
      throw new CronplaneError('engine.unknown-job', `no job named "${name}" in the job file`, {
        location: { path: name },
      });
    }
    return job;
  }

  /** Syncs the jobs to the store, catches up on missed fires, starts firing and working. */
  async start(config: ResolvedConfig): Promise<void> {
    this.#running = true;
    await this.#setConfig(config);
    if (this.#options.schedule !== false) await this.scheduler.start(this.jobs);
    await this.worker.start(this.jobs);
    this.#scheduleSweep();
  }

  /** Applies a changed job file (SIGHUP, --watch). */
  async reload(config: ResolvedConfig): Promise<void> {
    await this.#setConfig(config);
    if (this.#options.schedule !== false) await this.scheduler.reload(this.jobs);
    this.worker.setJobs(this.jobs);
    this.worker.wake();
  }

  /** Queues a run of a job now (CLI `run`, the API); answers the runs at once. */
  async trigger(input: TriggerInput): Promise<readonly RunRecord[]> {
    const job = this.getJobOrThrow(input.job);
    const now = this.#options.clock.now();
    const planned = planManualRuns(job, now, { ...input, trigger: input.trigger ?? 'manual' });
    // A plain insert goes through the worker, which may claim the runs with it and signals them itself.
    let queuedByWorker = false;
    const result = await insertTriggeredRuns(
      this.#options.store,
      job,
      planned,
      now,
      input.force === true,
      (runs) => {
        queuedByWorker = true;
        return this.worker.queueRuns(runs);
      },
    );
    if (!queuedByWorker) await this.worker.runsQueued();
    return result.inserted;
  }

  /** Stops firing and claiming, lets running work end until the deadline, then stops it. */
  async drain(deadlineMs: number): Promise<void> {
    this.#running = false;
    if (this.#sweepTimer !== undefined) this.#options.clock.clearTimer(this.#sweepTimer);
    await this.scheduler.release();
    await this.worker.drain(deadlineMs);
    await this.runEndsTold();
  }

  /**
   * Resolves once every run end recorded so far has been told to `onRunEnded` (and what its
   * listener raised handed on), ends told meanwhile included.
   */
  async runEndsTold(): Promise<void> {
    while (this.#listening.size > 0) await Promise.all([...this.#listening]);
  }

  async #setConfig(config: ResolvedConfig): Promise<void> {
    this.#jobs = new Map();
    for (const job of config.jobs) this.#jobs.set(job.name, job);
    this.#dependents = new Map();
    this.#updateDependents(this.jobs, []);
    this.#config = { jobs: config.jobs, synced: false };
    await this.#syncJobs(this.#options.maySyncJobs?.() ?? true);
  }

  /**
   * Keeps who runs after whom in step with jobs added, changed or removed (a job of the file may
   * run after an API job and the other way round): a job's old `after:` leaves with it.
   */
  #updateDependents(changed: readonly ResolvedJob[], removed: readonly string[]): void {
    // Nobody runs after anybody yet at start-up: no set of the 100,000 names to build then.
    const leaving =
      this.#dependents.size === 0 ? undefined : new Set([...removed, ...changed.map((job) => job.name)]);
    if (leaving !== undefined && leaving.size > 0) {
      for (const [upstream, dependents] of this.#dependents) {
        const kept = dependents.filter((job) => !leaving.has(job.name));
        if (kept.length === 0) this.#dependents.delete(upstream);
        else if (kept.length !== dependents.length) this.#dependents.set(upstream, kept);
      }
    }
    for (const job of changed) {
      for (const upstream of job.after) {
        const dependents = this.#dependents.get(upstream);
        if (dependents === undefined) this.#dependents.set(upstream, [job]);
        else dependents.push(job);
      }
    }
  }

  /** Writes the job set in force into the `jobs` table, once, when this node may. */
  async #syncJobs(may: boolean): Promise<void> {
    const config = this.#config;
    if (config.synced || !may) return;
    // The store reads a job's spec only to write it (a new job, or one whose hash changed): a
    // restart with 100,000 unchanged jobs builds none of them.
    await this.#options.store.syncJobs(
      config.jobs.map((job) => new FileJobToSync(job)),
      this.#options.clock.now(),
    );
    config.synced = true;
  }

  async #afterRun(run: RunRecord, status: RunStatus, result: RunResult): Promise<void> {
    const job = this.#job(run.job);
    if (job === undefined) return;
    const willRetry = shouldRetry(job.retry, status, run.attempt);
    if (willRetry) await this.#retry(run, job);
    if (status === 'succeeded') await this.#startDependents(run);
    this.#tellRunEndedLater(run, job, willRetry, result);
  }

  /** Tells the listener without holding up the worker; `drain` waits for what is under way. */
  #tellRunEndedLater(
    run: RunRecord,
    job: ResolvedJob,
    willRetry: boolean,
    result: RunResult | undefined,
  ): void {
    if (this.#options.onRunEnded === undefined) return;
    const telling = this.#tellRunEnded(run, job, willRetry, result);
    this.#listening.add(telling);
    void telling.finally(() => this.#listening.delete(telling));
  }

  async #tellRunEnded(
    run: RunRecord,
    job: ResolvedJob,
    willRetry: boolean,
    result: RunResult | undefined,
  ): Promise<void> {
    const listener = this.#options.onRunEnded;
    if (listener === undefined) return;
    try {
      await listener({ run, job, willRetry, ...(result === undefined ? {} : { result }) });
    } catch (thrown) {
      this.#options.logger.error(
        { err: coerceError(thrown), run: run.id, job: run.job },
        'a run-end listener failed; the engine goes on',
      );
    }
  }

  async #retry(run: RunRecord, job: ResolvedJob): Promise<void> {
    const retry = planRetry(run, job, {
      now: this.#options.clock.now(),
      delayMs: retryDelay(job.retry, run.attempt),
      attempt: run.attempt + 1,
      requestedBy: run.requestedBy,
    });
    await this.#options.store.insertRuns([retry]);
    await this.worker.runsQueued();
  }

  /** A job with `after: [X]` starts once every run of one fire of X succeeded. */
  async #startDependents(run: RunRecord): Promise<void> {
    const dependents = this.#dependents.get(run.job);
    if (dependents === undefined || dependents.length === 0) return;
    const { store, clock } = this.#options;
    const fire = await store.listRuns({
      job: run.job,
      from: run.scheduledAt,
      to: run.scheduledAt + 1,
      limit: 1000,
    });
    const latest = new Map<string, RunRecord>();
    for (const sibling of fire.runs) {
      const seen = latest.get(sibling.fanKey);
      if (seen === undefined || sibling.attempt > seen.attempt) latest.set(sibling.fanKey, sibling);
    }
    const upstream = this.#job(run.job);
    if (latest.size < (upstream?.fanOut.length ?? 1)) return;
    if (![...latest.values()].every((sibling) => sibling.status === 'succeeded')) return;
    const now = clock.now();
    const chained = dependents.flatMap((dependent) =>
      planFire(dependent, now, { now, trigger: 'chain' }).map((planned): NewRun => ({
        ...planned,
        requestedBy: `${run.job}#${run.id}`,
        fireKey: `chain|${dependent.name}|${planned.fanKey}|${run.job}|${run.scheduledAt}`,
      })),
    );
    // A chained start inside the dependent's `cooldown` is recorded skipped, saying until when.
    const { rest } = await recordRunsInCooldown(store, chained, (name) => this.#job(name));
    // The worker may claim the plain ones with their insert (`Worker.queueRuns`) and signals them.
    if (rest.length > 0) await this.worker.queueRuns(rest);
    if (rest.length < chained.length) await this.worker.runsQueued();
  }

  #scheduleSweep(): void {
    const { clock } = this.#options;
    const every = (this.#options.runLeaseMs ?? 30_000) / 2;
    this.#sweepTimer = clock.setTimer(() => {
      void this.#sweep().finally(() => {
        if (this.#running) this.#scheduleSweep();
      });
    }, every);
  }

  /** Runs whose node stopped renewing their lease are lost, and retried per their job's policy. */
  async #sweep(): Promise<void> {
    const { store, clock, logger } = this.#options;
    try {
      const lost = await store.expireLeases(clock.now());
      for (const run of lost) {
        logger.warn({ run: run.id, job: run.job, node: run.node }, 'run lost: its lease expired');
        const job = this.#job(run.job);
        const willRetry = job !== undefined && shouldRetry(job.retry, 'lost', run.attempt);
        // A lost run that is not retried ends as `run:failed` (the run-end watchers say so, "was
        // lost: its node stopped"): its loss is recorded, not told twice.
        await this.#incidentSink.raise(
          {
            kind: 'run:lost',
            notifyKey: 'failure',
            dedupKey: `run:lost:${run.id}`,
            severity: 'warning',
            job: run.job,
            runId: run.id,
            title: `run ${run.id} of ${run.job} was lost`,
            summary: `its lease expired on node ${run.node ?? 'unknown'}: the node stopped or lost the database`,
            details: { node: run.node ?? 'unknown', attempt: run.attempt },
          },
          { notify: willRetry },
        );
        if (job === undefined) continue;
        if (willRetry) await this.#retry(run, job);
        this.#tellRunEndedLater(run, job, willRetry, undefined);
      }
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'sweeping expired leases failed');
    }
  }

  /** Sweeps expired leases now (start-up after a crash, tests). */
  async sweepLostRuns(): Promise<void> {
    await this.#sweep();
  }
}
