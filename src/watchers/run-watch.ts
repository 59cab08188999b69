import type { Alerter } from '../alerts/index.ts';
import {
  RunIncident,
  durationOf,
  failingStatuses,
  fireOutcomes,
  formatDuration,
  median,
  runEvidence,
  runIncidentKey,
  runKeyOf,
  streak,
  subjectOf,
  titleOf,
} from '../alerts/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import type { RunEnd, RunEndListener } from '../engine/index.ts';
import { coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord, RunStatus, Store } from '../store/index.ts';
import { WatcherFeed } from './watcher.ts';
import type { Watcher } from './watcher.ts';

/** The incidents a success resolves (after `recover_after` successes in a row). */
const resolvedBySuccess: readonly RunIncident[] = [
  'run:failed',
  'run:critical',
  'run:warning',
  'job:failing',
];

/** Successful runs whose durations make the median `slower_than` compares with; at least `minSamples`. */
const durationSamples = 20;
const minSamples = 3;

export interface RunWatchOptions {
  readonly store: Store;
  readonly alerter: Alerter;
  readonly logger: Logger;
  /** More checks run after each run's end (metric guards...); each one's error is logged on its own. */
  readonly checks?: readonly RunEndListener[];
}

/**
 * Watches runs as they end (the engine's `onRunEnded`): a final failure opens `run:failed`, a
 * critical or warning exit code `run:critical` / `run:warning`, N failures in a row
 * `job:failing`; a success resolves them after `recover_after` successes in a row, and is checked
 * against `min_duration` (`run:too-fast`) and `slower_than` (`run:slow`). Incidents are per job,
 * and per key when its runs have one (`runKeyOf`: the fan-out entry, or a queue item's key): a
 * failure of one key opens that key's incident, and only a success of the same key resolves it.
 */
export class RunWatch implements Watcher {
  readonly name = 'run';
  readonly feed = WatcherFeed.runEnds;
  readonly #options: RunWatchOptions;
  readonly #checks: RunEndListener[];

  constructor(options: RunWatchOptions) {
    this.#options = options;
    this.#checks = [...(options.checks ?? [])];
  }

  /** Nothing to arm: the engine hands it each run's end, with the run's job as it was then. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  reload(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing kept per job: each run's end brings its job as it is in force. */
  applyJobChanges(): void {}

  /** Nothing held: the engine's drain waits for the run ends it is still watching. */
  release(): Promise<void> {
    return Promise.resolve();
  }

  /** Adds a check run after each run's end (a metric guard watch, say). */
  addCheck(check: RunEndListener): void {
    this.#checks.push(check);
  }

  /** The engine's listener. Never throws: each part's error is logged. */
  readonly onRunEnded = async (end: RunEnd): Promise<void> => {
    const { alerter } = this.#options;
    // What this run's end raises (its exit code, its guards) is told as one incident.
    alerter.gatherRun(end.run.id);
    try {
      await this.#watch(end);
    } catch (thrown) {
      this.#log(thrown, end, 'watching a run end failed');
    }
    for (const check of this.#checks) {
      try {
        await check(end);
      } catch (thrown) {
        this.#log(thrown, end, 'a run-end check failed');
      }
    }
    try {
      await alerter.tellRun(end.run.id);
    } catch (thrown) {
      this.#log(thrown, end, 'telling a run end’s incidents failed');
    }
  };

  async #watch(end: RunEnd): Promise<void> {
    const { run, job, willRetry } = end;
    const { alerter } = this.#options;
    if (
      run.status === 'held' ||
      run.status === 'pending' ||
      run.status === 'running' ||
      run.status === 'skipped' ||
      run.status === 'cancelled'
    )
      return;
    // The job runs again: a missed fire is over.
    await alerter.resolve({
      dedupKey: `schedule:missed:${job.name}`,
      notifyKey: 'missed',
      job: job.name,
      runId: run.id,
      title: `${job.name} runs again`,
    });
    switch (run.status) {
      case 'succeeded':
        await this.#succeeded(run, job);
        return;
      case 'failed':
      case 'timed_out':
      case 'lost':
        if (!willRetry) await this.#failed(run, job, 'run:failed');
        return;
      case 'critical':
        await this.#failed(run, job, 'run:critical');
        return;
      case 'warning':
        await this.#failed(run, job, 'run:warning');
        return;
    }
  }

  async #failed(
    run: RunRecord,
    job: ResolvedJob,
    kind: 'run:failed' | 'run:critical' | 'run:warning',
  ): Promise<void> {
    const { alerter } = this.#options;
    const threshold = job.watch.consecutiveFailures;
    // With consecutive_failures set, single failures are recorded and `job:failing` is what people hear.
    const notify = !(kind === 'run:failed' && threshold !== undefined);
    await alerter.raise(await this.#failure(kind, run, job, titleOf(run, subjectOf(run))), { notify });
    if (threshold === undefined || kind === 'run:warning') return;
    const outcomes = await this.#outcomes(run, job, threshold);
    const failures = streak(outcomes, (status) => failingStatuses.includes(status));
    if (failures < threshold) return;
    await alerter.raise(
      await this.#failure('job:failing', run, job, `${subjectOf(run)} failed ${failures} times in a row`, {
        failures_in_a_row: failures,
      }),
    );
  }

  /** A failure's incident, with the run's evidence (output, body, key fields, `alert:` fields). */
  async #failure(
    kind: RunIncident,
    run: RunRecord,
    job: ResolvedJob,
    title: string,
    more: Readonly<Record<string, string | number>> = {},
  ) {
    const facts = { ...this.#facts(run), ...more };
    const evidence = await runEvidence({ store: this.#options.store, run, job, title, facts });
    return { ...this.#incident(kind, run, job, title), summary: evidence.summary, details: evidence.details };
  }

  async #succeeded(run: RunRecord, job: ResolvedJob): Promise<void> {
    const { alerter, store } = this.#options;
    const subject = subjectOf(run);
    const key = runKeyOf(run);
    const open = resolvedBySuccess.filter((kind) => alerter.mayBeOpen(runIncidentKey(kind, job.name, key)));
    if (open.length > 0) {
      const needed = job.watch.recoverAfter ?? 1;
      const recovered =
        needed <= 1 ||
        streak(await this.#outcomes(run, job, needed), (status) => status === 'succeeded') >= needed;
      if (recovered) {
        for (const kind of open) {
          await alerter.resolve({
            dedupKey: runIncidentKey(kind, job.name, key),
            notifyKey: RunIncident[kind].notifyKey,
            job: job.name,
            runId: run.id,
            title: `${subject} recovered`,
            summary: `run ${run.id} succeeded${needed > 1 ? ` (${needed} successes in a row)` : ''}`,
          });
        }
      }
    }
    // A key's success ends its own `job:no-success`; the job's (of a job without keys, or one
    // raised before keys were judged) ends with any success.
    for (const judged of key === '' ? [''] : [key, '']) {
      await alerter.resolve({
        dedupKey: runIncidentKey('job:no-success', job.name, judged),
        notifyKey: 'missed',
        job: job.name,
        runId: run.id,
        title: `${judged === '' ? job.name : subject} succeeded again`,
        summary: `run ${run.id} succeeded`,
      });
    }
    const lost = alerter.openKeysStartingWith('run:lost:');
    if (lost === undefined || lost.length > 0) {
      const page = await store.listEvents({ job: job.name, kind: 'run:lost', open: true, limit: 100 });
      for (const event of page.events) {
        // A lost run of one key is over when that key runs again, not when another key does.
        const lostRun = event.runId === null ? undefined : await store.getRun(event.runId);
        if (lostRun !== undefined && runKeyOf(lostRun) !== key) continue;
        await alerter.resolve({
          dedupKey: event.dedupKey,
          notifyKey: 'failure',
          job: job.name,
          runId: run.id,
          title: `${job.name} runs again after a lost run`,
          summary: `run ${run.id} succeeded`,
        });
      }
    }
    await this.#checkDuration(run, job);
  }

  async #checkDuration(run: RunRecord, job: ResolvedJob): Promise<void> {
    const { alerter, store } = this.#options;
    const duration = durationOf(run);
    if (duration === undefined) return;
    const subject = subjectOf(run);
    const minimum = job.watch.minDurationMs;
    if (minimum !== undefined) {
      const dedupKey = runIncidentKey('run:too-fast', job.name, runKeyOf(run));
      if (duration < minimum) {
        await alerter.raise({
          ...this.#incident(
            'run:too-fast',
            run,
            job,
            `${subject} finished suspiciously fast: ${formatDuration(duration)}`,
          ),
          summary: `run ${run.id} succeeded in ${formatDuration(duration)}, under its min_duration of ${formatDuration(minimum)}: it probably did nothing`,
        });
      } else {
        await alerter.resolve({
          dedupKey,
          notifyKey: 'warning',
          job: job.name,
          runId: run.id,
          title: `${subject} takes its usual time again`,
        });
      }
    }
    const ratio = job.watch.slowerThan;
    if (ratio === undefined) return;
    const page = await store.listRuns({
      ...this.#keyQuery(run, job),
      status: 'succeeded',
      limit: durationSamples + 1,
    });
    const samples = page.runs
      .filter((other) => other.id !== run.id)
      .slice(0, durationSamples)
      .flatMap((other) => {
        const taken = durationOf(other);
        return taken === undefined ? [] : [taken];
      });
    const typical = samples.length >= minSamples ? median(samples) : undefined;
    if (typical === undefined) return;
    const key = runIncidentKey('run:slow', job.name, runKeyOf(run));
    if (duration > ratio * typical) {
      await alerter.raise({
        ...this.#incident('run:slow', run, job, `${subject} was slow: ${formatDuration(duration)}`),
        summary: `run ${run.id} took ${formatDuration(duration)}, more than ${ratio} × the median ${formatDuration(typical)} of its last ${samples.length} successful runs`,
        details: { ...this.#facts(run), median: formatDuration(typical), slower_than: ratio },
      });
    } else {
      await alerter.resolve({
        dedupKey: key,
        notifyKey: 'warning',
        job: job.name,
        runId: run.id,
        title: `${subject} runs at its usual speed again`,
      });
    }
  }

  /** The newest fire outcomes of the run's key, enough to judge a streak of `n`. */
  async #outcomes(run: RunRecord, job: ResolvedJob, n: number): Promise<RunStatus[]> {
    const limit = Math.min(1000, (n + 1) * Math.max(1, job.retry.attempts));
    const page = await this.#options.store.listRuns({ ...this.#keyQuery(run, job), limit });
    return fireOutcomes(page.runs, runKeyOf(run));
  }

  /** The runs of the run's key: its fan-out entry's, its queue key's, or (no key) the job's. */
  #keyQuery(run: RunRecord, job: ResolvedJob): { job: string; fanKey: string; rateKey?: string } {
    return {
      job: job.name,
      fanKey: run.fanKey,
      ...(run.fanKey === '' && run.rateKey !== null ? { rateKey: run.rateKey } : {}),
    };
  }

  #incident(kind: RunIncident, run: RunRecord, job: ResolvedJob, title: string) {
    return {
      kind,
      notifyKey: RunIncident[kind].notifyKey,
      severity: RunIncident[kind].severity,
      dedupKey: runIncidentKey(kind, job.name, runKeyOf(run)),
      job: job.name,
      runId: run.id,
      title,
      summary: run.error ?? run.statusReason ?? `run ${run.id} ended ${run.status}`,
      details: this.#facts(run),
    };
  }

  #facts(run: RunRecord): Record<string, string | number> {
    const duration = durationOf(run);
    return {
      ...(run.fanKey === '' ? {} : { fan_key: run.fanKey }),
      ...(run.exitCode === null ? {} : { exit_code: run.exitCode }),
      ...(run.httpStatus === null ? {} : { http_status: run.httpStatus }),
      status: run.status,
      attempt: run.attempt,
      ...(duration === undefined ? {} : { duration: formatDuration(duration) }),
    };
  }

  #log(thrown: unknown, end: RunEnd, message: string): void {
    this.#options.logger.error({ err: coerceError(thrown), run: end.run.id, job: end.run.job }, message);
  }
}
