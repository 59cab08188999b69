/** Runs past their job's max_runtime are reported stuck once, and the report resolves when they end. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { forbidSkipReason, planFire } from '../../src/engine/index.ts';
import { StuckWatch, skippedFiresKind } from '../../src/watchers/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger } from '../support/engine-harness.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);
const config = configOf(`version: 1
jobs:
  batch: { max_runtime: 1m, run: 'true' }
  free: { run: 'true' }
`);

const skipConfig = configOf(`version: 1
jobs:
  gateway: { schedule: every 10s, http: { url: "http://127.0.0.1:9/health" } }
  quiet: { schedule: every 10s, run: 'true', watch: { skipped_fires: 0 } }
  tolerant: { schedule: every 10s, run: 'true', watch: { skipped_fires: 5 } }
`);

/** The stuck-run watch on one store. */
export function defineStuckWatchSuite(storeName: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`the stuck-run watch on ${storeName}`, () => {
    let harness: StoreHarness;
    let store: Store;
    before(async () => {
      harness = await createHarness();
      store = await harness.open();
    });
    after(async () => {
      await store.release();
      await harness.close();
    });

    it('reports a run past max_runtime once as run:stuck, ignores other nodes’ runs, and resolves it when the run ends', async () => {
      const clock = manualClock(T0);
      // Its own timer looks only hourly here: the test looks itself.
      const watch = new StuckWatch({ store, clock, node: 'n1', logger: silentLogger, everyMs: 3_600_000 });
      await watch.start(config);
      try {
        await store.insertRuns([
          { job: 'batch', trigger: 'api', scheduledAt: T0, queuedAt: T0 },
          { job: 'free', trigger: 'api', scheduledAt: T0, queuedAt: T0 },
          { job: 'batch', trigger: 'api', scheduledAt: T0, queuedAt: T0 },
        ]);
        const mine = await store.claimRuns({ node: 'n1', now: T0, limit: 2, leaseMs: 600_000 });
        const theirs = await store.claimRuns({ node: 'n2', now: T0, limit: 1, leaseMs: 600_000 });
        clock.set(T0 + 30_000);
        assert.deepEqual(await watch.check(), []);
        clock.set(T0 + 61_000);
        const stuck = await watch.check();
        assert.deepEqual(
          stuck.map((run) => run.job),
          ['batch'],
        );
        assert.equal(stuck[0]?.node, 'n1', `not ${theirs[0]?.id}, which another node runs`);
        assert.deepEqual(await watch.check(), [], 'reported once');
        const [event] = (await store.listEvents({ kind: 'run:stuck' })).events;
        assert.equal(event?.runId, stuck[0]?.id);
        assert.equal(event?.count, 1);
        assert.equal(event?.severity, 'warning');
        assert.deepEqual(event?.details, {
          startedAt: new Date(T0).toISOString(),
          maxRuntimeMs: 60_000,
          runningForMs: 61_000,
          node: 'n1',
          alert: {
            title: `run ${stuck[0]?.id} of batch is stuck`,
            summary: 'running for 1 min, past its max_runtime of 1 min',
            notifyKey: 'stuck',
            monitor: false,
          },
        });
        const batch = mine.find((run) => run.job === 'batch');
        await store.finishRun(batch!.id, 'n1', { status: 'succeeded', finishedAt: clock.now() });
        await watch.check();
        const [resolved] = (await store.listEvents({ kind: 'run:stuck' })).events;
        assert.equal(resolved?.resolvedAt, T0 + 61_000);
      } finally {
        await watch.release();
      }
    });

    it('watches the max_runtime of a job applied after start (an API job), and no longer once it is removed', async () => {
      const clock = manualClock(T0);
      const watch = new StuckWatch({ store, clock, node: 'n1', logger: silentLogger, everyMs: 3_600_000 });
      await watch.start(config);
      try {
        const [applied, removed] = configOf(`version: 1
jobs:
  api-applied: { max_runtime: 1m, run: 'true' }
  api-removed: { max_runtime: 1m, run: 'true' }
`).jobs;
        watch.applyJobChanges([applied!, removed!], []);
        watch.applyJobChanges([], ['api-removed']);
        await store.insertRuns([
          { job: 'api-applied', trigger: 'api', scheduledAt: T0, queuedAt: T0 },
          { job: 'api-removed', trigger: 'api', scheduledAt: T0, queuedAt: T0 },
        ]);
        const claimed = await store.claimRuns({ node: 'n1', now: T0, limit: 2, leaseMs: 600_000 });
        clock.set(T0 + 61_000);
        const stuck = await watch.check();
        assert.deepEqual(
          stuck.map((run) => run.job),
          ['api-applied'],
        );
        for (const run of claimed)
          await store.finishRun(run.id, 'n1', { status: 'succeeded', finishedAt: clock.now() });
        await watch.check();
      } finally {
        await watch.release();
      }
    });

    it('raises job:skipped-fires after 3 fires in a row skipped by forbid (the default), once, and resolves it when the run ends', async () => {
      const clock = manualClock(T0);
      const watch = new StuckWatch({ store, clock, node: 'n1', logger: silentLogger, everyMs: 3_600_000 });
      const jobOf = (name: string) => skipConfig.jobs.find((job) => job.name === name)!;
      assert.equal(jobOf('gateway').watch.skippedFires, undefined, 'the default, 3, applies');
      assert.equal(jobOf('gateway').timeoutMs, 30_000);
      await watch.start(skipConfig);
      try {
        const hung = planFire(jobOf('gateway'), T0, { now: T0, trigger: 'schedule' });
        await store.insertRuns([
          ...hung,
          ...planFire(jobOf('quiet'), T0, { now: T0, trigger: 'schedule' }),
          ...planFire(jobOf('tolerant'), T0, { now: T0, trigger: 'schedule' }),
        ]);
        const claimed = await store.claimRuns({ node: 'n1', now: T0, limit: 10, leaseMs: 600_000 });
        const gatewayRun = claimed.find((run) => run.job === 'gateway')!;
        const skip = async (fire: number) => {
          clock.set(T0 + fire * 10_000);
          await store.insertRuns(
            ['gateway', 'quiet', 'tolerant'].flatMap((name) =>
              planFire(jobOf(name), clock.now(), {
                now: clock.now(),
                trigger: 'schedule',
                status: 'skipped',
                reason: forbidSkipReason,
              }),
            ),
          );
          await watch.check();
        };
        await skip(1);
        await skip(2);
        assert.equal(
          (await store.listEvents({ kind: skippedFiresKind })).events.length,
          0,
          'two skips are not yet a hang',
        );
        await skip(3);
        const [event] = (await store.listEvents({ kind: skippedFiresKind })).events;
        assert.equal(event?.job, 'gateway', 'quiet (0) and tolerant (5) are not reported');
        assert.equal(event?.severity, 'warning');
        assert.equal(event?.runId, gatewayRun.id);
        const details = event?.details as { alert?: { notifyKey?: string }; [key: string]: unknown };
        assert.equal(details.alert?.notifyKey, 'stuck');
        assert.equal(details['skipped_fires'], 3);
        assert.equal(details['first_skipped'], new Date(T0 + 10_000).toISOString());
        await skip(4);
        const again = (await store.listEvents({ kind: skippedFiresKind })).events;
        assert.deepEqual(
          again.map((e) => [e.job, e.count]),
          [['gateway', 1]],
          'raised once',
        );
        await store.finishRun(gatewayRun.id, 'n1', { status: 'timed_out', finishedAt: T0 + 45_000 });
        clock.set(T0 + 46_000);
        await watch.check();
        const [resolved] = (await store.listEvents({ kind: skippedFiresKind })).events;
        assert.equal(resolved?.resolvedAt, T0 + 46_000);
      } finally {
        await watch.release();
      }
    });

    it('looks for skipped fires from the jobs with an active run: 2,000 watched jobs and none active send no job name to the store', async () => {
      const many = configOf(
        `version: 1\njobs:\n${Array.from({ length: 2000 }, (_, i) => `  job-${i}: { schedule: every 10s, run: 'true' }\n`).join('')}`,
      );
      // What the watch asks of the store: each call, and every job name it sends.
      const calls: string[] = [];
      let namesSent = 0;
      const counted = new Proxy(store, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(String(key));
            for (const arg of args) if (Array.isArray(arg)) namesSent += arg.length;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const clock = manualClock(T0);
      const watch = new StuckWatch({
        store: counted,
        clock,
        node: 'n1',
        logger: silentLogger,
        everyMs: 3_600_000,
      });
      await watch.start(many);
      try {
        await watch.check();
        assert.equal(namesSent, 0, `no job name was sent (calls: ${calls.join(', ')})`);
        assert.ok(calls.length <= 3, `a few statements, not one per job (calls: ${calls.join(', ')})`);
      } finally {
        await watch.release();
      }
    });
  });
}
