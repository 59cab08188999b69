/** Runs past their job's max_runtime are reported stuck once, and the report resolves when they end. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { StuckWatch } from '../../src/watchers/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger } from '../support/engine-harness.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);
const config = configOf(`version: 1
jobs:
  batch: { max_runtime: 1m, run: 'true' }
  free: { run: 'true' }
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
  });
}
