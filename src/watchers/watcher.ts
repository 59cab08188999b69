import type { ResolvedConfig, ResolvedJob } from '../config/index.ts';

/** What a watcher reads: the jobs in force (the file's and those defined through the API) and the monitors. */
export type WatchedConfig = Pick<ResolvedConfig, 'jobs' | 'monitors'>;

/** What feeds a watcher, which says when the daemon lets it go. */
export const WatcherFeed = {
  /**
   * It looks on its own timers (and, for monitors, takes the pings the API hands it): released
   * before the engine drains, so nothing is looked at on the way down.
   */
  clock: 'clock',
  /** It is fed by the engine's run ends: released after the engine drained, so the last runs are still watched. */
  runEnds: 'run-ends',
} as const;
export type WatcherFeed = (typeof WatcherFeed)[keyof typeof WatcherFeed];

/**
 * Something that notices trouble and raises incidents: the run, job, guard, stuck-run and monitor
 * watchers. The daemon keeps them in one list and takes each through the same life: `start` with
 * the job file, `reload` with each new one, `release` when it stops.
 */
export interface Watcher {
  /** Names it in logs: `run`, `job`, `guard`, `stuck`, `monitor`. */
  readonly name: string;
  readonly feed: WatcherFeed;
  /** Begins watching what `config` declares: arms its timers, syncs what it keeps in the store. */
  start(config: WatchedConfig): Promise<void>;
  /**
   * Takes a reloaded job file. Throwing refuses the file (the daemon keeps the previous one) and
   * leaves this watcher as it was; the daemon reloads the watchers before the engine.
   */
  reload(config: WatchedConfig): Promise<void>;
  /**
   * Takes jobs added, changed or removed between reloads (jobs defined through the API, one moved
   * at a time among many): watched from now on like the file's, or no longer.
   */
  applyJobChanges(changed: readonly ResolvedJob[], removed: readonly string[]): void;
  /** Stops its timers, waits for the look under way and lets go of what it holds. */
  release(): Promise<void>;
}
