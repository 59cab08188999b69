/**
 * A real engine with the alerting pipeline hung on it: store, manual clock, controlled work,
 * an outbox delivering to a real loopback receiver, the Alerter, RunWatch, JobWatch and StuckWatch.
 */
import { Alerter } from '../../src/alerts/index.ts';
import { GuardWatch, JobWatch, RunWatch, StuckWatch } from '../../src/watchers/index.ts';
import type { NotificationQueue } from '../../src/alerts/index.ts';
import type { ExecuteRun } from '../../src/engine/index.ts';
import { configMask } from '../../src/config/index.ts';
import type { FlapPolicy } from '../../src/alerts/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { Outbox, channelsOf } from '../../src/notify/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { ControlledWork, silentLogger, waitFor } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';
import type { HttpReceiver, RecordedRequest } from '../notify/receivers.ts';

export interface AlertHarness {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly engine: Engine;
  readonly work: ControlledWork;
  readonly outbox: Outbox;
  readonly alerter: Alerter;
  readonly jobWatch: JobWatch;
  readonly stuckWatch: StuckWatch;
  /** Triggers one run of `job` ending as `work` says, and waits until its alerts are handed over. */
  runOnce(job: string): Promise<RunRecord>;
  /** The run once its end is stored and RunWatch has seen it, with the notifications it caused sent. */
  ended(runId: number): Promise<RunRecord>;
  /** Requests the receiver got on a path (`/slack`, `/pd`, `/hook`). */
  sent(path: string): RecordedRequest[];
  release(): Promise<void>;
}

export async function startAlertHarness(
  makeStore: StoreFactory,
  config: ResolvedConfig,
  receiver: HttpReceiver,
  options: {
    start: number;
    flapPolicy?: FlapPolicy;
    beforeStart?: (store: Store) => Promise<void>;
    /** The run lease (30 s by default). */
    runLeaseMs?: number;
    /** Runs the work for real (commands, HTTP requests) instead of `work`. */
    execute?: ExecuteRun;
    /** Puts something between the alerter and the outbox (a `NotificationGrouper`). */
    queue?: (outbox: Outbox, clock: ManualClock) => NotificationQueue;
    /** The environment the job file's secrets come from: masked in runs and alerts as the daemon does. */
    env?: Record<string, string>;
  },
): Promise<AlertHarness> {
  const store = await makeStore();
  const clock = manualClock(options.start);
  const work = new ControlledWork();
  await options.beforeStart?.(store);
  const channels = channelsOf(config.channels, { timezone: config.timezone });
  const outbox: Outbox = new Outbox({
    channels,
    policy: { attempts: 2, delayMs: 5, attemptTimeoutMs: 2000 },
    now: () => clock.now(),
    logger: silentLogger,
    onReport: (report) => alerter.onDeliveryReport(report),
  });
  const mask = options.env === undefined ? undefined : configMask(config, options.env);
  const alerter: Alerter = new Alerter({
    store,
    clock,
    logger: silentLogger,
    outbox: options.queue?.(outbox, clock) ?? outbox,
    ...(mask === undefined ? {} : { mask: () => mask }),
    ...(options.flapPolicy === undefined ? {} : { flapPolicy: options.flapPolicy }),
  });
  alerter.setConfig(config, channels);
  await alerter.remind();
  const guardWatch = new GuardWatch({ store, clock, incidents: alerter, logger: silentLogger });
  const runWatch = new RunWatch({
    store,
    alerter,
    logger: silentLogger,
    checks: [guardWatch.onRunEnded],
  });
  // A run counts as ended for the tests once RunWatch has seen it (after the store write).
  const ended = new Set<number>();
  const engine = new Engine({
    store,
    clock,
    node: 'node-a',
    logger: silentLogger,
    execute: options.execute ?? work.execute,
    runLeaseMs: options.runLeaseMs ?? 30_000,
    pollMs: 1000,
    incidents: alerter,
    onRunEnded: async (end) => {
      await runWatch.onRunEnded(end);
      ended.add(end.run.id);
    },
  });
  // The tests look themselves: the watches' own timers wait a day.
  const jobWatch = new JobWatch({
    store,
    clock,
    logger: silentLogger,
    alerter,
    node: 'node-a',
    scheduler: engine.scheduler,
    everyMs: 86_400_000,
  });
  const stuckWatch = new StuckWatch({
    store,
    clock,
    node: 'node-a',
    logger: silentLogger,
    everyMs: 86_400_000,
    incidents: alerter,
  });
  async function endedRun(runId: number): Promise<RunRecord> {
    const done = await waitFor(`run ${runId} ended`, async () => {
      const stored = await store.getRun(runId);
      return stored !== undefined && stored.finishedAt !== null && ended.has(runId) ? stored : undefined;
    });
    await outbox.drain();
    return done;
  }
  await engine.start(config);
  await jobWatch.start(config);
  await stuckWatch.start(config);
  return {
    store,
    clock,
    engine,
    work,
    outbox,
    alerter,
    jobWatch,
    stuckWatch,
    async runOnce(job) {
      const [run] = await engine.trigger({ job });
      if (run === undefined) throw new Error(`no run of ${job} was queued`);
      return endedRun(run.id);
    },
    ended: endedRun,
    sent: (path) => receiver.requests.filter((request) => request.path === path),
    async release() {
      for (const id of work.held) work.finish(id, { outcome: 'cancelled' });
      await jobWatch.release();
      await stuckWatch.release();
      await engine.drain(0);
      await outbox.release({ graceMs: 1000 });
      await store.release();
    },
  };
}
