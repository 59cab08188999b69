/**
 * `cooldown` and `max_per_run` through the real engine: real commands in child processes, a
 * manual clock, the store as the truth (two nodes on one store respect one cooldown).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ManualClock } from '../../src/clock/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { Engine, createExecuteRun } from '../../src/engine/index.ts';
import { QueueDrainer, planQueueItem } from '../../src/queue/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import type { StoreHarness } from '../support/store-harness.ts';

/** Midnight: fires of `every 10m` fall on its tens of minutes. The clock starts just after it. */
const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const minute = 60_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

interface Node {
  readonly engine: Engine;
  readonly store: Store;
}

export function defineCooldownSuite(storeName: string, harness: () => StoreHarness): void {
  describe(`cooldown and max_per_run on ${storeName}`, () => {
    async function withNodes(
      config: ResolvedConfig,
      names: readonly { readonly node: string; readonly schedule: boolean }[],
      body: (nodes: readonly Node[], clock: ManualClock) => Promise<void>,
    ): Promise<void> {
      await harness().reset();
      const clock = manualClock(t0 + 500);
      const nodes: Node[] = [];
      try {
        for (const { node, schedule } of names) {
          const store = await harness().open();
          const engine = new Engine({
            store,
            clock,
            node,
            instanceId: node,
            logger: silentLogger,
            execute: createExecuteRun(),
            pollMs: 100,
            schedule,
          });
          nodes.push({ engine, store });
          await engine.start(config);
        }
        await body(nodes, clock);
      } finally {
        for (const { engine, store } of nodes) {
          await engine.drain(5000);
          await store.release();
        }
      }
    }

    async function runsOf(store: Store, job: string): Promise<RunRecord[]> {
      return [...(await store.listRuns({ job, limit: 1000 })).runs].reverse();
    }

    async function settled(store: Store, job: string, count: number): Promise<RunRecord[]> {
      return waitFor(`${count} runs of ${job} ended`, async () => {
        const runs = await runsOf(store, job);
        return runs.length === count &&
          runs.every((run) => run.status !== 'pending' && run.status !== 'running')
          ? runs
          : undefined;
      });
    }

    it('records a scheduled fire inside the cooldown as skipped, saying until when, and runs the first one after it', async () => {
      const config = configOf(
        'version: 1\njobs:\n  sync: { schedule: every 10m, cooldown: 25m, run: "true" }\n',
      );
      await withNodes(config, [{ node: 'node-a', schedule: true }], async ([a], clock) => {
        const { store } = a as Node;
        for (let fire = 1; fire <= 4; fire++) {
          clock.set(t0 + fire * 10 * minute);
          await settled(store, 'sync', fire);
        }
        const runs = await runsOf(store, 'sync');
        assert.deepEqual(
          runs.map((run) => [iso(run.scheduledAt), run.status]),
          [
            ['2026-01-01T00:10:00.000Z', 'succeeded'],
            ['2026-01-01T00:20:00.000Z', 'skipped'],
            ['2026-01-01T00:30:00.000Z', 'skipped'],
            ['2026-01-01T00:40:00.000Z', 'succeeded'],
          ],
        );
        assert.match(runs[1]?.statusReason ?? '', /^cooldown: .* ends at 2026-01-01T00:35:00\.000Z$/);
        assert.equal(runs[0]?.startedAt, t0 + 10 * minute);
      });
    });

    it('keeps one cooldown per fan-out key', async () => {
      const config = configOf(
        'version: 1\njobs:\n  per: { for_each: { org: [a, b] }, cooldown: 1h, run: "true" }\n',
      );
      await withNodes(config, [{ node: 'node-a', schedule: true }], async ([a]) => {
        const { engine, store } = a as Node;
        await engine.trigger({ job: 'per', params: { fan_key: 'a' } });
        await assert.rejects(engine.trigger({ job: 'per' }), { code: 'run.cooldown', message: /\(a\)/ });
        const [b] = await engine.trigger({ job: 'per', params: { fan_key: 'b' } });
        assert.equal(b?.fanKey, 'b');
        await settled(store, 'per', 2);
      });
    });

    it('refuses a trigger inside the cooldown and runs it with force; two nodes on one store keep one cooldown', async () => {
      const config = configOf(
        'version: 1\njobs:\n  orchestrate: { schedule: every 10m, cooldown: 15m, run: "true" }\n',
      );
      await withNodes(
        config,
        [
          { node: 'node-a', schedule: true },
          { node: 'node-b', schedule: false },
        ],
        async ([a, b], clock) => {
          const nodeA = a as Node;
          const nodeB = b as Node;
          clock.set(t0 + 5 * minute);
          await nodeB.engine.trigger({ job: 'orchestrate', trigger: 'api' });
          await settled(nodeA.store, 'orchestrate', 1);
          // Node A never saw that run in its memory: only the store tells it.
          await assert.rejects(nodeA.engine.trigger({ job: 'orchestrate' }), {
            code: 'run.cooldown',
            message: /until 2026-01-01T00:20:00\.000Z/,
          });
          // The leader's fire at 00:10 falls inside the cooldown of node B's run.
          clock.set(t0 + 10 * minute);
          const afterFire = await settled(nodeA.store, 'orchestrate', 2);
          assert.equal(afterFire[1]?.status, 'skipped');
          assert.match(afterFire[1]?.statusReason ?? '', /ends at 2026-01-01T00:20:00\.000Z/);
          const [forced] = await nodeA.engine.trigger({ job: 'orchestrate', force: true });
          assert.match(forced?.statusReason ?? '', /^forced inside the cooldown/);
          const all = await settled(nodeA.store, 'orchestrate', 3);
          assert.equal(all[2]?.status, 'succeeded');
          // The forced run started at 00:10: the fire at 00:20 is inside its cooldown, 00:30 is not.
          clock.set(t0 + 20 * minute);
          await settled(nodeA.store, 'orchestrate', 4);
          clock.set(t0 + 30 * minute);
          const last = await settled(nodeA.store, 'orchestrate', 5);
          assert.deepEqual(
            last.map((run) => run.status),
            ['succeeded', 'skipped', 'succeeded', 'skipped', 'succeeded'],
          );
        },
      );
    });

    it('lets exactly one of two nodes triggering at the same instant run, refusing the other', async () => {
      const config = configOf('version: 1\njobs:\n  orchestrate: { cooldown: 15m, run: "true" }\n');
      await withNodes(
        config,
        [
          { node: 'node-a', schedule: false },
          { node: 'node-b', schedule: false },
        ],
        async (nodes) => {
          const outcomes = await Promise.allSettled(
            [...nodes, ...nodes].map(({ engine }) => engine.trigger({ job: 'orchestrate', trigger: 'api' })),
          );
          assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected')
              assert.equal((outcome.reason as { code?: string }).code, 'run.cooldown');
          }
          await settled((nodes[0] as Node).store, 'orchestrate', 1);
        },
      );
    });

    it('lets only one of a scheduled fire and a trigger on another store at the same instant start', async () => {
      await harness().reset();
      const clock = manualClock(t0 + 500);
      const config = configOf(
        'version: 1\njobs:\n  orchestrate: { schedule: every 10m, cooldown: 15m, run: "true" }\n',
      );
      const storeA = await harness().open();
      const storeB = await harness().open();
      const engineOf = (store: Store, node: string, schedule: boolean) =>
        new Engine({
          store,
          clock,
          node,
          instanceId: node,
          logger: silentLogger,
          execute: createExecuteRun(),
          pollMs: 100,
          schedule,
        });
      // Node B's trigger runs while node A's fire decides. A fire that read the last start
      // without the key's lock is made to wait for the trigger there (the widest window a slow
      // node leaves); a locked decision cannot be overtaken, so the trigger starts beside it.
      let triggered: Promise<unknown> | undefined;
      const trigger = () => (triggered ??= nodeB.trigger({ job: 'orchestrate', trigger: 'api' }));
      const raced: Store = {
        ...storeA,
        lastRunStarts: async (keys) => {
          const found = await storeA.lastRunStarts(keys);
          await trigger().catch(() => undefined);
          return found;
        },
        startRunsInCooldown: async (keys, decide) => {
          void trigger().catch(() => undefined);
          return storeA.startRunsInCooldown(keys, decide);
        },
      };
      const nodeA = engineOf(raced, 'node-a', true);
      const nodeB = engineOf(storeB, 'node-b', false);
      try {
        await nodeA.start(config);
        await nodeB.start(config);
        clock.set(t0 + 10 * minute);
        await waitFor(
          'the fire was recorded and the trigger made',
          async () =>
            triggered !== undefined &&
            (await runsOf(storeA, 'orchestrate')).some((run) => run.trigger === 'schedule'),
        );
        const outcome = await Promise.allSettled([triggered]);
        const runs = await runsOf(storeA, 'orchestrate');
        const started = runs.filter((run) => run.status !== 'skipped');
        assert.equal(started.length, 1, JSON.stringify(runs.map((run) => [run.trigger, run.status])));
        // Whichever came second was held back by the first: a skipped fire or a refused trigger.
        const skipped = runs.find((run) => run.status === 'skipped');
        if (skipped !== undefined) {
          assert.equal(skipped.trigger, 'schedule');
          assert.equal(started[0]?.trigger, 'api');
        } else {
          assert.equal(outcome[0]?.status, 'rejected');
          assert.equal(started[0]?.trigger, 'schedule');
        }
        await settled(storeA, 'orchestrate', runs.length);
      } finally {
        await nodeA.drain(5000);
        await nodeB.drain(5000);
        await storeA.release();
        await storeB.release();
      }
    });

    it('measures only from runs planned with a cooldown: one added later holds from the first run after it', async () => {
      await harness().reset();
      const clock = manualClock(t0 + 500);
      const store = await harness().open();
      try {
        const before = configOf('version: 1\njobs:\n  report: { run: "true" }\n');
        const engine = new Engine({
          store,
          clock,
          node: 'node-a',
          instanceId: 'node-a',
          logger: silentLogger,
          execute: createExecuteRun(),
          pollMs: 100,
          schedule: false,
        });
        await engine.start(before);
        await engine.trigger({ job: 'report' });
        await settled(store, 'report', 1);
        await engine.reload(configOf('version: 1\njobs:\n  report: { cooldown: 1h, run: "true" }\n'));
        // The run from before the cooldown is not one it measures from.
        await engine.trigger({ job: 'report' });
        await assert.rejects(engine.trigger({ job: 'report' }), { code: 'run.cooldown' });
        await settled(store, 'report', 2);
        await engine.drain(5000);
      } finally {
        await store.release();
      }
    });

    it('records a chained start inside the cooldown as skipped', async () => {
      const config = configOf(
        'version: 1\njobs:\n  up: { run: "true" }\n  down: { after: [up], cooldown: 1h, run: "true" }\n',
      );
      await withNodes(config, [{ node: 'node-a', schedule: true }], async ([a], clock) => {
        const { engine, store } = a as Node;
        await engine.trigger({ job: 'up' });
        await settled(store, 'down', 1);
        clock.advance(minute);
        await engine.trigger({ job: 'up' });
        const runs = await settled(store, 'down', 2);
        assert.deepEqual(
          runs.map((run) => [run.trigger, run.status]),
          [
            ['chain', 'succeeded'],
            ['chain', 'skipped'],
          ],
        );
        assert.match(runs[1]?.statusReason ?? '', /^cooldown: .* ends at 2026-01-01T01:00:00\.500Z$/);
      });
    });

    it('does not hold back a retry of the run that started the cooldown', async () => {
      const config = configOf(
        'version: 1\njobs:\n  flaky: { cooldown: 1h, retry: { attempts: 2, delay: 1s }, run: "false" }\n',
      );
      await withNodes(config, [{ node: 'node-a', schedule: true }], async ([a], clock) => {
        const { engine, store } = a as Node;
        await engine.trigger({ job: 'flaky' });
        await waitFor('the retry is queued', async () => (await runsOf(store, 'flaky')).length === 2);
        clock.advance(2000);
        const runs = await settled(store, 'flaky', 2);
        assert.deepEqual(
          runs.map((run) => [run.attempt, run.status]),
          [
            [1, 'failed'],
            [2, 'failed'],
          ],
        );
      });
    });

    it('gives a real command max_per_run as CRONPLANE_MAX_PER_RUN and as {max_per_run}', async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-max-per-run-'));
      const out = path.join(folder, 'out.txt');
      const argv = path.join(folder, 'argv.txt');
      const config = configOf(
        'version: 1\njobs:\n' +
          `  batch: { max_per_run: 7, run: [sh, -c, 'echo "$CRONPLANE_MAX_PER_RUN {max_per_run}" > ${out}'] }\n` +
          `  plain: { max_per_run: 3, run: 'sh -c "echo \\"$0\\" > ${argv}" {max_per_run}' }\n`,
      );
      await withNodes(config, [{ node: 'node-a', schedule: false }], async ([a]) => {
        const { engine, store } = a as Node;
        await engine.trigger({ job: 'batch' });
        await engine.trigger({ job: 'plain' });
        await settled(store, 'batch', 1);
        await settled(store, 'plain', 1);
        assert.equal(readFileSync(out, 'utf8'), '7 7\n');
        assert.equal(readFileSync(argv, 'utf8'), '3\n');
      });
    });

    it('releases queue items no sooner than the cooldown after the last release, recording the skipped fire', async () => {
      const config = configOf(
        'version: 1\njobs:\n  drain: { queue: { max_per_run: 2 }, schedule: every 10m, cooldown: 15m, run: "true" }\n',
      );
      const job = config.jobs[0];
      assert.equal(job?.queue?.maxPerRun, 2);
      await harness().reset();
      const store = await harness().open();
      const clock = manualClock(t0);
      const drainer = new QueueDrainer({ store, clock, node: 'node-a', logger: silentLogger });
      try {
        // Not started: no fire timer, so each pass below is the test's own.
        drainer.setJobs(config.jobs);
        await store.insertRuns(
          [1, 2, 3, 4, 5].map((n) =>
            planQueueItem(job as never, t0, { payload: { n }, requestedBy: 'test' }),
          ),
        );
        assert.equal((await drainer.drain('drain')).length, 2);
        clock.set(t0 + 10 * minute);
        assert.deepEqual(await drainer.drain('drain'), []);
        const skipped = (await runsOf(store, 'drain')).filter((run) => run.status === 'skipped');
        assert.equal(skipped.length, 1);
        assert.match(skipped[0]?.statusReason ?? '', /^cooldown: .* ends at 2026-01-01T00:15:00\.000Z$/);
        clock.set(t0 + 15 * minute);
        assert.equal((await drainer.drain('drain')).length, 2);
      } finally {
        await drainer.release();
        await store.release();
      }
    });
  });
}
