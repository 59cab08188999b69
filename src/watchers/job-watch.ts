import type { Alerter } from '../alerts/index.ts';
import { RunIncident, formatDuration, keyedSubject, runIncidentKey } from '../alerts/index.ts';
import type { Clock } from '../clock/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import type { Scheduler } from '../engine/index.ts';
import { fanKeyOf, schedulerStall } from '../engine/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
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

/** How many of a queue job's newest runs name the queue keys `expect_success_within` judges. */
export const queueKeysScanned = 1000;

/** What one key (or the job, `''`) is judged on: since when it should have succeeded, and why. */
interface Judged {
  readonly key: string;
  readonly since: number;
  readonly why: string;
  readonly lastSuccess: RunRecord | undefined;
}

/** The event kind raised when the scheduler's own loop stalls. */
export const schedulerStalledKind = 'scheduler:stalled';

/**
 * The periodic pass over jobs (every 30 s by default, on the injected clock): a job with
 * `expect_success_within` and no success for that long opens `job:no-success` (a success resolves
 * it), judged per key where the job has keys: each fan-out entry, or each queue key with work
 * waiting since its last success (docs/watchers.md#per-key); open incidents get their reminders; the scheduler's own loop is watched with `/readyz`'s
 * rule (`scheduler:stalled`, critical, resolved when it ticks again).
 */
export class JobWatch implements Watcher {
  readonly name = 'job';
  readonly feed = WatcherFeed.clock;
  readonly #options: JobWatchOptions;
  readonly #loop: WatchLoop<void>;
  /**
   * The jobs in force (the file's and those defined through the API) with `expect_success_within`,
   * by name: a look visits only them (100,000 jobs without it cost a look nothing).
   */
  #expecting = new Map<string, ResolvedJob>();
  #startedAt = 0;
  /** When this watch first saw each fan-out key (`job\u0000key`): a key added by a reload counts from then. */
  readonly #keySeenAt = new Map<string, number>();

  constructor(options: JobWatchOptions) {
    this.#options = options;
    this.#loop = new WatchLoop(options.clock, () => this.#look(), undefined);
  }

  start(config: WatchedConfig): Promise<void> {
    this.#loop.start();
    this.#startedAt = this.#options.clock.now();
    this.#setJobs(config.jobs);
    this.#arm();
    return Promise.resolve();
  }

  reload(config: WatchedConfig): Promise<void> {
    this.#setJobs(config.jobs);
    return Promise.resolve();
  }

  #setJobs(jobs: readonly ResolvedJob[]): void {
    this.#expecting = new Map();
    this.applyJobChanges(jobs, []);
  }

  /** Jobs defined through the API, added, changed or removed: judged from the next look on. */
  applyJobChanges(changed: readonly ResolvedJob[], removed: readonly string[]): void {
    for (const name of removed) this.#expecting.delete(name);
    const now = this.#options.clock.now();
    for (const job of changed) {
      if (job.watch.expectSuccessWithinMs === undefined) {
        this.#expecting.delete(job.name);
        continue;
      }
      this.#expecting.set(job.name, job);
      // A job judged on its successes needs to know since when each key is watched.
      for (const entry of job.fanOut) {
        const seen = `${job.name}\u0000${fanKeyOf(entry)}`;
        if (!this.#keySeenAt.has(seen)) this.#keySeenAt.set(seen, now);
      }
    }
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
    for (const job of [...this.#expecting.values()]) {
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
    const window = job.watch.expectSuccessWithinMs as number;
    const now = this.#options.clock.now();
    const fanKeys = job.fanOut.map((entry) => fanKeyOf(entry));
    const judged =
      job.queue?.key !== undefined
        ? await this.#queueKeys(job)
        : await Promise.all(fanKeys.map((key) => this.#sinceLastSuccess(job, key)));
    for (const one of judged) {
      if (now - one.since <= window) continue;
      await this.#raiseNoSuccess(job, one, window);
    }
  }

  /** A job's (`key` `''`) or fan-out entry's last success, or since when it should have had one. */
  async #sinceLastSuccess(job: ResolvedJob, key: string): Promise<Judged> {
    const { store } = this.#options;
    const now = this.#options.clock.now();
    const last = (await store.listRuns({ job: job.name, fanKey: key, status: 'succeeded', limit: 1 }))
      .runs[0];
    if (last !== undefined) {
      const since = last.finishedAt ?? last.scheduledAt;
      return {
        key,
        since,
        why: `its last success was run ${last.id}, ${formatDuration(now - since)} ago`,
        lastSuccess: last,
      };
    }
    // Never succeeded: count from when the job (or this key) appeared, or this daemon's start if later.
    const record = await store.getJob(job.name);
    const seen = this.#keySeenAt.get(`${job.name}\u0000${key}`) ?? this.#startedAt;
    const since = Math.max(record?.createdAt ?? this.#startedAt, this.#startedAt, seen);
    return {
      key,
      since,
      why: `it has not succeeded since ${new Date(since).toISOString()}`,
      lastSuccess: undefined,
    };
  }

  /**
   * The queue keys with work since their last success (items among the job's newest
   * `queueKeysScanned` runs), each judged from the oldest item queued after that success: a key
   * with nothing to do is not expected to succeed.
   */
  async #queueKeys(job: ResolvedJob): Promise<Judged[]> {
    const { store } = this.#options;
    const now = this.#options.clock.now();
    const recent = await store.listRuns({ job: job.name, limit: queueKeysScanned });
    // Each key's runs in that page, newest first; a key whose last success is in it costs no query.
    const byKey = new Map<string, RunRecord[]>();
    for (const run of recent.runs) {
      if (run.rateKey === null) continue;
      const runs = byKey.get(run.rateKey);
      if (runs === undefined) byKey.set(run.rateKey, [run]);
      else runs.push(run);
    }
    const judged: Judged[] = [];
    for (const [key, seen] of byKey) {
      let runs: readonly RunRecord[] = seen;
      let last = seen.find((run) => run.status === 'succeeded');
      if (last === undefined && recent.nextCursor !== null) {
        last = (await store.listRuns({ job: job.name, rateKey: key, status: 'succeeded', limit: 1 })).runs[0];
        runs = (await store.listRuns({ job: job.name, rateKey: key, limit: queueKeysScanned })).runs;
      }
      const waiting = oldestWaiting(runs, last);
      if (waiting === undefined) continue;
      const since = waiting.queuedAt;
      judged.push({
        key,
        since,
        why: `run ${waiting.id} (${waiting.status}) was queued ${formatDuration(now - since)} ago and nothing of ${key} succeeded since${
          last === undefined ? '' : `; its last success was run ${last.id}`
        }`,
        lastSuccess: last,
      });
    }
    return judged;
  }

  async #raiseNoSuccess(job: ResolvedJob, judged: Judged, window: number): Promise<void> {
    const { key, why, lastSuccess } = judged;
    const queueKey = job.queue?.key;
    const keyFact: Record<string, string> =
      key === '' ? {} : queueKey !== undefined ? { [queueKey]: key } : { fan_key: key };
    await this.#options.alerter.raise({
      kind: 'job:no-success',
      notifyKey: RunIncident['job:no-success'].notifyKey,
      severity: RunIncident['job:no-success'].severity,
      dedupKey: runIncidentKey('job:no-success', job.name, key),
      job: job.name,
      title: `${keyedSubject(job.name, key)} has not succeeded in ${formatDuration(window)}`,
      summary: `expect_success_within is ${formatDuration(window)}; ${why}`,
      details: {
        ...keyFact,
        expect_success_within: formatDuration(window),
        ...(lastSuccess === undefined ? {} : { last_success_run: lastSuccess.id }),
      },
    });
  }

  async #watchScheduler(): Promise<void> {
    const { scheduler, clock, alerter, node } = this.#options;
    if (scheduler === undefined) return;
    const stall = schedulerStall(scheduler, clock.now());
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

/**
 * The oldest of a key's runs (newest first) after its last success that asks for one: held,
 * pending, running or ended without success; cancelled and skipped runs ask for nothing.
 */
function oldestWaiting(runs: readonly RunRecord[], last: RunRecord | undefined): RunRecord | undefined {
  let waiting: RunRecord | undefined;
  for (const run of runs) {
    if (last !== undefined && run.id <= last.id) break;
    if (run.status === 'cancelled' || run.status === 'skipped' || run.status === 'succeeded') continue;
    waiting = run;
  }
  return waiting;
}
