import { queueItemFields } from '../alerts/index.ts';
import type { Clock } from '../clock/index.ts';
import type { IncidentSink } from '../incidents/index.ts';
import { recordingSink } from '../incidents/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import { checkSkippedFires, skippedFiresOf } from './skipped-fires.ts';
import { WatchLoop } from './watch-loop.ts';
import { WatcherFeed } from './watcher.ts';
import type { WatchedConfig, Watcher } from './watcher.ts';

export interface StuckWatchOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Only runs this node runs are watched: the node that runs a run reports it. */
  readonly node: string;
  readonly logger: Logger;
  /** How often to look; default a quarter of the shortest max_runtime, between 1 s and 1 min. */
  readonly everyMs?: number;
  /** Where stuck runs go (`run:stuck`, notify key `stuck`); recorded only, by default. */
  readonly incidents?: IncidentSink;
}

export const stuckEventKind = 'run:stuck';

export function stuckDedupKey(runId: number): string {
  return `${stuckEventKind}:${runId}`;
}

/**
 * Reports runs still running past their job's `max_runtime` as a `run:stuck` event (one per
 * run), and resolves the event once the run ends. A stuck run is not stopped: `timeout` does
 * that; `max_runtime` is the alarm (seed 004: batches left in progress for over an hour). It also
 * notices the other sign of a hung run, fires skipped by `concurrency: forbid` in a row
 * (`job:skipped-fires`, `checkSkippedFires`).
 */
export class StuckWatch implements Watcher {
  readonly name = 'stuck';
  readonly feed = WatcherFeed.clock;
  readonly #options: StuckWatchOptions;
  readonly #loop: WatchLoop<readonly RunRecord[]>;
  #limits = new Map<string, number>();
  /** Runs reported stuck, with their job. */
  readonly #reported = new Map<number, string>();
  /** Jobs with `concurrency: forbid` and `watch.skipped_fires`. */
  #forbidding = new Map<string, ResolvedJob>();
  /** Jobs reported for skipped fires. */
  readonly #skipping = new Set<string>();

  constructor(options: StuckWatchOptions) {
    this.#options = options;
    this.#loop = new WatchLoop(options.clock, () => this.#look(), []);
  }

  start(config: WatchedConfig): Promise<void> {
    this.#loop.start();
    return this.reload(config);
  }

  /** Watches the reloaded file's limits; runs already reported stay watched until they end. */
  reload(config: WatchedConfig): Promise<void> {
    this.#limits = new Map();
    this.#forbidding = new Map();
    this.#take(config.jobs, []);
    this.#arm();
    return Promise.resolve();
  }

  /**
   * Jobs defined through the API, added, changed or removed: their limits are watched from the
   * next look on (sooner when a new limit asks for it; a look already armed is never put off).
   */
  applyJobChanges(changed: readonly ResolvedJob[], removed: readonly string[]): void {
    this.#take(changed, removed);
    if (this.#loop.armedAt === Infinity || this.#loop.armedAt > this.#options.clock.now() + this.#every())
      this.#arm();
  }

  #take(changed: readonly ResolvedJob[], removed: readonly string[]): void {
    for (const name of removed) {
      this.#limits.delete(name);
      this.#forbidding.delete(name);
    }
    for (const job of changed) {
      if (job.maxRuntimeMs === undefined) this.#limits.delete(job.name);
      else this.#limits.set(job.name, job.maxRuntimeMs);
      if (job.concurrency === 'forbid' && skippedFiresOf(job) > 0 && job.schedules.length > 0)
        this.#forbidding.set(job.name, job);
      else this.#forbidding.delete(job.name);
    }
  }

  /** Looks now (after a look under way); returns the runs newly reported stuck. */
  check(): Promise<readonly RunRecord[]> {
    return this.#loop.lookNow();
  }

  release(): Promise<void> {
    return this.#loop.release();
  }

  #arm(): void {
    if (
      this.#limits.size === 0 &&
      this.#reported.size === 0 &&
      this.#forbidding.size === 0 &&
      this.#skipping.size === 0
    ) {
      this.#loop.disarm();
      return;
    }
    this.#loop.lookIn(this.#every(), () => this.#arm());
  }

  /** How often to look: a quarter of the shortest limit, between 1 s and 60 s. */
  #every(): number {
    if (this.#options.everyMs !== undefined) return this.#options.everyMs;
    // A loop, not Math.min(...values): 100,000 limits are too many arguments for one call.
    let shortest = 240_000;
    for (const limit of this.#limits.values()) if (limit < shortest) shortest = limit;
    return Math.min(60_000, Math.max(1000, Math.floor(shortest / 4)));
  }

  async #look(): Promise<readonly RunRecord[]> {
    const { store, clock, node, logger } = this.#options;
    const stuck: RunRecord[] = [];
    const incidents = this.#options.incidents ?? recordingSink(store, clock);
    try {
      const now = clock.now();
      const running = new Set<number>();
      let cursor: number | null = null;
      do {
        const page = await store.listRuns({ status: 'running', limit: 1000, cursor });
        for (const run of page.runs) {
          if (run.node !== node) continue;
          running.add(run.id);
          const limit = this.#limits.get(run.job);
          if (limit === undefined || run.startedAt === null || this.#reported.has(run.id)) continue;
          if (now - run.startedAt <= limit) continue;
          this.#reported.set(run.id, run.job);
          stuck.push(run);
          logger.warn(
            { run: run.id, job: run.job, startedAt: run.startedAt, maxRuntimeMs: limit },
            `run ${run.id} of ${run.job} is stuck: running for ${Math.round((now - run.startedAt) / 1000)}s, past its max_runtime`,
          );
          await incidents.raise({
            kind: stuckEventKind,
            notifyKey: 'stuck',
            dedupKey: stuckDedupKey(run.id),
            severity: 'warning',
            job: run.job,
            runId: run.id,
            title: `run ${run.id} of ${run.job} is stuck`,
            summary: `running for ${formatMinutes(now - run.startedAt)}, past its max_runtime of ${formatMinutes(limit)}`,
            details: {
              // The item's own fields first (the batch it works on), cronplane's facts after them.
              ...queueItemFields(run.payload),
              startedAt: new Date(run.startedAt).toISOString(),
              maxRuntimeMs: limit,
              runningForMs: now - run.startedAt,
              node: run.node ?? 'unknown',
              ...(run.rateKey === null ? {} : { rateKey: run.rateKey }),
            },
          });
        }
        cursor = page.nextCursor;
      } while (cursor !== null);
      for (const [id, job] of this.#reported) {
        if (running.has(id)) continue;
        this.#reported.delete(id);
        await incidents.resolve({
          dedupKey: stuckDedupKey(id),
          notifyKey: 'stuck',
          job,
          runId: id,
          title: `run ${id} of ${job} is no longer stuck: it ended`,
        });
      }
      await checkSkippedFires(store, this.#forbidding, incidents, this.#skipping);
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'looking for stuck runs failed; looking again later');
    }
    return stuck;
  }
}

function formatMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 1 ? `${minutes} min` : `${Math.round(ms / 1000)} s`;
}
