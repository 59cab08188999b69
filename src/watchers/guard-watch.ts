import type { Clock } from '../clock/index.ts';
import type { GuardEntry, ResolvedJob } from '../config/index.ts';
import type { RunEnd } from '../engine/index.ts';
import { coerceError } from '../errors/index.ts';
import type { GuardEvaluation } from '../guards/index.ts';
import {
  cooldownEndsAt,
  evaluateGuard,
  guardCooldownMs,
  guardDedupKeyOf,
  guardIncident,
  guardRecovery,
  lookbackOf,
} from '../guards/index.ts';
import type { IncidentSink } from '../incidents/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import { WatcherFeed } from './watcher.ts';
import type { Watcher } from './watcher.ts';

export interface GuardWatchOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Where a tripped guard goes: the daemon's `Alerter` (records and notifies). */
  readonly incidents: IncidentSink;
  readonly logger: Logger;
}

/** What a check did with one guard. */
export const GuardAction = {
  /** The run did not report the guard's metric: nothing judged, an open incident stays open. */
  missing: 'missing',
  /** The value passed and no incident was open. */
  passed: 'passed',
  /** The value passed and closed the guard's open incident. */
  resolved: 'resolved',
  /** A breach, raised as an incident (a new event, or a repeat of the open one). */
  raised: 'raised',
  /** A breach within the cool-down after the last raise: nothing recorded, nobody told. */
  cooling_down: 'cooling_down',
  /** Reading the history or raising failed (logged). */
  error: 'error',
} as const;
export type GuardAction = keyof typeof GuardAction;

export interface GuardCheck {
  readonly guard: string;
  readonly dedupKey: string;
  readonly action: GuardAction;
  /** Undefined when the check failed before judging. */
  readonly evaluation: GuardEvaluation | undefined;
}

/**
 * Judges each guard of a job on a run that ended: its value of the metric against the fixed
 * bounds and against the baseline of earlier successful runs (of the same fan-out key for a
 * `per_key` guard; the run itself and runs that did not succeed are never history). A breach is
 * raised as `guard:<name>` unless the same incident was raised within the cool-down; a passing
 * value resolves the open incident.
 */
export class GuardWatch implements Watcher {
  readonly name = 'guard';
  readonly feed = WatcherFeed.runEnds;
  readonly #options: GuardWatchOptions;
  readonly #checks = new Set<Promise<readonly GuardCheck[]>>();

  constructor(options: GuardWatchOptions) {
    this.#options = options;
  }

  /** Nothing to arm: each run's end brings its job, guards included. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  reload(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing kept per job: each run's end brings its job as it is in force. */
  applyJobChanges(): void {}

  /**
   * The run-end check the daemon adds to `RunWatch`: judges each run that ended with a result
   * (a lost run reported nothing). Never throws; failures are logged per guard.
   */
  readonly onRunEnded = async (end: RunEnd): Promise<void> => {
    if (end.result === undefined) return;
    await this.check(end.run, end.job);
  };

  /** Judges every guard of `job` on `run` (which has ended and had its metrics recorded). */
  async check(run: RunRecord, job: ResolvedJob): Promise<readonly GuardCheck[]> {
    if (job.guards.size === 0) return [];
    const check = this.#check(run, job);
    this.#checks.add(check);
    try {
      return await check;
    } finally {
      this.#checks.delete(check);
    }
  }

  /** Waits for checks under way. */
  async release(): Promise<void> {
    await Promise.allSettled([...this.#checks]);
  }

  async #check(run: RunRecord, job: ResolvedJob): Promise<readonly GuardCheck[]> {
    const { store, logger } = this.#options;
    let metrics: Readonly<Record<string, number>>;
    try {
      metrics = await store.getRunMetrics(run.id);
    } catch (thrown) {
      logger.error({ err: coerceError(thrown), run: run.id, job: run.job }, 'reading a run’s metrics failed');
      return [...job.guards.keys()].map((name) => ({
        guard: name,
        dedupKey: guardDedupKeyOf(name, job.guards.get(name) as GuardEntry, run),
        action: 'error',
        evaluation: undefined,
      }));
    }
    const checks: GuardCheck[] = [];
    for (const [name, guard] of job.guards) checks.push(await this.#checkGuard(run, name, guard, metrics));
    logger.debug(
      {
        run: run.id,
        job: run.job,
        guards: Object.fromEntries(checks.map((check) => [check.guard, check.action])),
      },
      'guards checked',
    );
    const missing = checks.filter((check) => check.action === 'missing').map((check) => check.guard);
    if (missing.length > 0) {
      logger.info(
        { run: run.id, job: run.job, guards: missing, reported: Object.keys(metrics) },
        'the run did not report the metric these guards watch; they judged nothing',
      );
    }
    return checks;
  }

  async #checkGuard(
    run: RunRecord,
    name: string,
    guard: GuardEntry,
    metrics: Readonly<Record<string, number>>,
  ): Promise<GuardCheck> {
    const { store, clock, incidents, logger } = this.#options;
    const dedupKey = guardDedupKeyOf(name, guard, run);
    let evaluation: GuardEvaluation | undefined;
    try {
      const value = Object.hasOwn(metrics, guard.metric) ? metrics[guard.metric] : undefined;
      const history =
        value === undefined
          ? []
          : await store.listMetrics({
              job: run.job,
              name: guard.metric,
              ...(guard.per_key === true ? { fanKey: run.fanKey } : {}),
              runStatus: 'succeeded',
              excludeRunId: run.id,
              limit: lookbackOf(guard),
            });
      evaluation = evaluateGuard(
        guard,
        value,
        history.map((point) => point.value),
      );
      switch (evaluation.kind) {
        case 'missing':
          return { guard: name, dedupKey, action: 'missing', evaluation };
        case 'passed': {
          if ((await store.getOpenEvent(dedupKey)) === undefined) {
            return { guard: name, dedupKey, action: 'passed', evaluation };
          }
          await incidents.resolve(guardRecovery(name, guard, run, evaluation));
          return { guard: name, dedupKey, action: 'resolved', evaluation };
        }
        case 'breached': {
          const [last] = (await store.listEvents({ dedupKey, limit: 1 })).events;
          const endsAt = cooldownEndsAt(last, guardCooldownMs(guard));
          if (endsAt !== undefined && clock.now() < endsAt) {
            logger.info(
              { run: run.id, job: run.job, guard: name, until: new Date(endsAt).toISOString() },
              'guard tripped within its cool-down: not raised again',
            );
            return { guard: name, dedupKey, action: 'cooling_down', evaluation };
          }
          await incidents.raise(guardIncident({ name, guard, run, evaluation }));
          return { guard: name, dedupKey, action: 'raised', evaluation };
        }
      }
    } catch (thrown) {
      logger.error(
        { err: coerceError(thrown), run: run.id, job: run.job, guard: name },
        'checking a guard failed',
      );
      return { guard: name, dedupKey, action: 'error', evaluation };
    }
  }
}
