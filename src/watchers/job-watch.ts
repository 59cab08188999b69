import type { Alerter } from '../alerts/index.ts';
import { RunIncident, formatDuration, runIncidentKey } from '../alerts/index.ts';
import type { Clock } from '../clock/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import type { Scheduler } from '../engine/index.ts';
import { schedulerStall } from '../engine/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import { WatchLoop } from './watch-loop.ts';
import { WatcherFeed } from './watcher.ts';
import type { WatchedConfig, Watcher } from './watcher.ts';

export interface JobWatchOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly alerter: Alerter;
  /** The node's scheduler, watched for a stalled loop; none on a node that does not fire. */
  readonly scheduler?: Scheduler;
  /** Names the node in `scheduler:stalled`. */
  readonly node: string;
  /** How often to look; 30 s by default. */
  readonly everyMs?: number;
}

/** The event kind raised when the scheduler's own loop stalls. */
export const schedulerStalledKind = 'scheduler:stalled';

/**
 * The periodic pass over jobs (every 30 s by default, on the injected clock): a job with
 * `expect_success_within` and no success for that long opens `job:no-success` (a success resolves
 * it); open incidents get their reminders; the scheduler's own loop is watched with `/readyz`'s
 * rule (`scheduler:stalled`, critical, resolved when it ticks again).
 */
export class JobWatch implements Watcher {
  readonly name = 'job';
  readonly feed = WatcherFeed.clock;
  readonly #options: JobWatchOptions;
  readonly #loop: WatchLoop<void>;
  #jobs: readonly ResolvedJob[] = [];
  #startedAt = 0;

  constructor(options: JobWatchOptions) {
    this.#options = options;
    this.#loop = new WatchLoop(options.clock, () => this.#look(), undefined);
  }

  start(config: WatchedConfig): Promise<void> {
    this.#loop.start();
    this.#startedAt = this.#options.clock.now();
    this.#jobs = config.jobs;
    this.#arm();
    return Promise.resolve();
  }

  reload(config: WatchedConfig): Promise<void> {
    this.#jobs = config.jobs;
    return Promise.resolve();
  }

  /** Looks now (after a pass under way). */
  check(): Promise<void> {
    return this.#loop.lookNow();
  }

  release(): Promise<void> {
    return this.#loop.release();
  }

  #arm(): void {
    this.#loop.lookIn(this.#options.everyMs ?? 30_000, () => this.#arm());
  }

  async #look(): Promise<void> {
    await this.#step('watching the scheduler', () => this.#watchScheduler());
    for (const job of this.#jobs) {
      if (job.watch.expectSuccessWithinMs === undefined) continue;
      await this.#step(`watching ${job.name} for a success`, () => this.#expectSuccess(job));
    }
    await this.#step('reminding of open incidents', async () => {
      await this.#options.alerter.remind();
    });
  }

  async #step(what: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (thrown) {
      logStoreError(this.#options.logger, thrown, {}, `${what} failed; looking again later`);
    }
  }

  async #expectSuccess(job: ResolvedJob): Promise<void> {
    const { store, clock, alerter } = this.#options;
    const window = job.watch.expectSuccessWithinMs as number;
    const now = clock.now();
    const last = (await store.listRuns({ job: job.name, status: 'succeeded', limit: 1 })).runs[0];
    let since: number;
    let why: string;
    if (last !== undefined) {
      since = last.finishedAt ?? last.scheduledAt;
      why = `its last success was run ${last.id}, ${formatDuration(now - since)} ago`;
    } else {
      // Never succeeded: count from when the job appeared, or from this daemon's start if later.
      const record = await store.getJob(job.name);
      since = Math.max(record?.createdAt ?? this.#startedAt, this.#startedAt);
      why = `it has not succeeded since ${new Date(since).toISOString()}`;
    }
    if (now - since <= window) return;
    await alerter.raise({
      kind: 'job:no-success',
      notifyKey: RunIncident['job:no-success'].notifyKey,
      severity: RunIncident['job:no-success'].severity,
      dedupKey: runIncidentKey('job:no-success', job.name),
      job: job.name,
      title: `${job.name} has not succeeded in ${formatDuration(window)}`,
      summary: `expect_success_within is ${formatDuration(window)}; ${why}`,
      details: {
        expect_success_within: formatDuration(window),
        ...(last === undefined ? {} : { last_success_run: last.id }),
      },
    });
  }

  async #watchScheduler(): Promise<void> {
    const { scheduler, clock, alerter, node } = this.#options;
    if (scheduler === undefined) return;
    const stall = schedulerStall(
      scheduler,
      this.#jobs.map((job) => job.name),
      clock.now(),
    );
    const dedupKey = `${schedulerStalledKind}:${node}`;
    if (!stall.stalled) {
      await alerter.resolve({
        dedupKey,
        notifyKey: 'critical',
        title: `the scheduler on ${node} ticks again`,
      });
      return;
    }
    await alerter.raise({
      kind: schedulerStalledKind,
      notifyKey: 'critical',
      severity: 'critical',
      dedupKey,
      title: `the scheduler on ${node} has stalled`,
      summary: `its earliest fire is ${formatDuration(stall.overdueMs)} overdue and it has not ticked since ${
        stall.lastTickAt > 0 ? new Date(stall.lastTickAt).toISOString() : 'it started'
      }: no job fires until it recovers`,
      details: {
        node,
        overdue: formatDuration(stall.overdueMs),
        ...(stall.earliest === null ? {} : { earliest_fire: new Date(stall.earliest).toISOString() }),
      },
    });
  }
}
