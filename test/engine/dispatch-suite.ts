import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from '../../src/engine/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { RunResult } from '../../src/engine/index.ts';
import type { Store } from '../../src/store/index.ts';
import { ControlledWork, configOf, silentLogger, startHarness, waitFor } from '../support/engine-harness.ts';
import type { Harness, StoreFactory } from '../support/engine-harness.ts';

/** 2026-01-01T00:00:00.500Z: half a second before a whole second. */
const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);

const allowEverySecond =
  'version: 1\njobs:\n  tick: { schedule: every 1s, concurrency: allow, run: "true" }\n';

/**
 * How runs get from their fire to their start on time: fires recorded ahead, runs claimed ahead
 * and started by a local timer, slots freed as work ends. Run against one store implementation.
 */
export function defineDispatchSuite(storeName: string, makeStore: StoreFactory): void {
  describe(`dispatch on ${storeName}`, () => {
    async function withHarness(
      yaml: string,
      body: (harness: Harness) => Promise<void>,
      options: Partial<Parameters<typeof startHarness>[2]> & {
        readonly store?: (store: Store) => Store;
      } = {},
    ): Promise<void> {
      const { store: wrap, ...rest } = options;
      const factory = wrap === undefined ? makeStore : async () => wrap(await makeStore());
      const harness = await startHarness(factory, configOf(yaml), { start: t0, ...rest });
      try {
        await body(harness);
      } finally {
        await harness.release();
      }
    }

    /** Lets the engine's asynchronous start-up (the first tick, the worker's first looks) settle. */
    const settle = () => sleep(50);

    it('records the fires of an allow job ahead of time and starts each run at its scheduled moment', async () => {
      await withHarness(allowEverySecond, async (h) => {
        await waitFor('the next fires recorded', async () => (await h.runs()).length === 2);
        assert.deepEqual(
          (await h.runs()).map((run) => [run.scheduledAt - t0, run.runAfter - t0, run.status]),
          [
            [500, 500, 'pending'],
            [1500, 1500, 'pending'],
          ],
          'both fires within the look-ahead are in the store before either falls due',
        );
        await settle();
        h.clock.set(t0 + 240);
        await sleep(30);
        assert.equal((await h.runs())[0]?.status, 'pending', 'not claimed before the claim-ahead window');
        h.clock.set(t0 + 260);
        await waitFor('claimed ahead of its time', async () => (await h.runs())[0]?.status === 'running');
        const [claimed] = await h.runs();
        assert.equal(claimed?.startedAt, t0 + 500, 'the claim records the due time as the start');
        h.clock.set(t0 + 499);
        await sleep(30);
        assert.equal(h.work.started.length, 0, 'a run claimed ahead does not start early');
        h.clock.set(t0 + 500);
        await waitFor('started at its time', () => h.work.started.length === 1);
        await waitFor('done', async () => (await h.runs())[0]?.status === 'succeeded');
        assert.equal((await h.runs())[0]?.startedAt, t0 + 500);
        assert.equal((await h.runs())[1]?.status, 'pending', 'the next fire waits for its own time');
      });
    });

    it('records the moment the work began, not the moment of the claim, when the claim took a while', async () => {
      let gate: Promise<void> | undefined;
      let open!: () => void;
      const slowClaims = (store: Store): Store => ({
        ...store,
        claimRuns: async (input) => {
          await gate;
          return store.claimRuns(input);
        },
        // A lone idle worker claims a triggered run with its insert (`Worker.queueRuns`).
        insertAndClaimRuns: async (runs, claim) => {
          await gate;
          return store.insertAndClaimRuns(runs, claim);
        },
      });
      await withHarness(
        'version: 1\njobs:\n  adhoc: { run: "true" }\n',
        async (h) => {
          await settle();
          gate = new Promise((resolve) => (open = resolve));
          const triggered = h.engine.trigger({ job: 'adhoc' });
          await settle();
          // The claim, asked for at t0, answers 70 ms later.
          h.clock.set(t0 + 70);
          open();
          await triggered;
          await waitFor('done', async () => (await h.runs())[0]?.status === 'succeeded');
          assert.equal((await h.runs())[0]?.startedAt, t0 + 70);
        },
        { store: slowClaims },
      );
    });

    it('records the fires of forbid and queue jobs at their instant, not ahead', async () => {
      const yaml = `version: 1
jobs:
  guarded: { schedule: every 1s, run: "true" }
  line: { schedule: every 1s, concurrency: queue, run: "true" }
`;
      await withHarness(yaml, async (h) => {
        await settle();
        assert.deepEqual(await h.runs(), []);
        h.clock.set(t0 + 499);
        await settle();
        assert.deepEqual(await h.runs(), []);
        h.clock.set(t0 + 500);
        await waitFor('both fired', async () => (await h.runs()).length === 2);
        assert.deepEqual((await h.runs()).map((run) => run.scheduledAt - t0).sort(), [500, 500]);
      });
    });

    it('tells a fire recorded ahead as the next fire until it falls due', async () => {
      await withHarness(allowEverySecond, async (h) => {
        await waitFor('the next fires recorded', async () => (await h.runs()).length === 2);
        assert.equal(h.engine.scheduler.nextFireOf('tick'), t0 + 500);
        h.clock.set(t0 + 700);
        assert.equal(h.engine.scheduler.nextFireOf('tick'), t0 + 1500);
      });
    });

    it('records a run claimed ahead and cancelled before its time as cancelled, without running it', async () => {
      await withHarness(allowEverySecond, async (h) => {
        await waitFor('the next fires recorded', async () => (await h.runs()).length === 2);
        await settle();
        h.clock.set(t0 + 300);
        await waitFor('claimed ahead', async () => (await h.runs())[0]?.status === 'running');
        const [held] = await h.runs();
        h.engine.worker.abort([held?.id as number], 'cancelled: a newer fire replaced it');
        await waitFor('cancelled', async () => (await h.runs())[0]?.status === 'cancelled');
        h.clock.set(t0 + 600);
        await settle();
        assert.equal(
          h.work.started.some((run) => run.id === held?.id),
          false,
        );
        const [cancelled] = await h.runs();
        assert.equal(cancelled?.statusReason, 'cancelled: a newer fire replaced it');
        assert.equal(cancelled?.startedAt, t0 + 300, 'it never began: its start is its end');
        assert.equal(cancelled?.finishedAt, t0 + 300);
      });
    });

    it('cancels the runs it claimed ahead when the daemon stops before their time', async () => {
      await withHarness(allowEverySecond, async (h) => {
        await waitFor('the next fires recorded', async () => (await h.runs()).length === 2);
        await settle();
        h.clock.set(t0 + 300);
        await waitFor('claimed ahead', async () => (await h.runs())[0]?.status === 'running');
        await h.engine.drain(0);
        const [stopped] = await h.runs();
        assert.equal(stopped?.status, 'cancelled');
        assert.equal(stopped?.statusReason, 'shutdown: the daemon is stopping');
        assert.equal(h.work.started.length, 0);
      });
    });

    it('records every run of a fan-out larger than one write, all before their instant', async () => {
      const tenants = Array.from({ length: 2500 }, (_, index) => `t${index}`).join(',');
      const yaml = `version: 1
jobs:
  nightly: { schedule: "0 * * * *", concurrency: allow, for_each: { tenant: "${tenants}" }, run: "true" }
`;
      await withHarness(yaml, async (h) => {
        const instant = Date.UTC(2026, 0, 1, 1, 0, 0);
        // 1.5 s of look-ahead, and 0.05 ms more per run of the fire.
        h.clock.set(instant - 1500 - 125);
        await waitFor('every run recorded', async () => {
          const page = await h.store.listRuns({ job: 'nightly', limit: 1000 });
          return (
            page.runs.length === 1000 && (await h.store.countActiveRuns(['nightly']))[0]?.pending === 2500
          );
        });
        assert.ok(h.clock.now() < instant);
        const keys = new Set<string>();
        let cursor: number | null = null;
        do {
          const page: Awaited<ReturnType<Store['listRuns']>> = await h.store.listRuns({
            job: 'nightly',
            limit: 1000,
            cursor,
          });
          for (const run of page.runs) keys.add(run.fanKey);
          cursor = page.nextCursor;
        } while (cursor !== null);
        assert.equal(keys.size, 2500, 'one run per tenant, each once');
      });
    });

    it('frees a slot as soon as the work ends, while its outcome is still being written', async () => {
      const store = await makeStore();
      let letFinish!: () => void;
      const finishing = new Promise<void>((resolve) => (letFinish = resolve));
      const slow: Store = {
        ...store,
        finishRun: async (...args) => {
          await finishing;
          return store.finishRun(...args);
        },
      };
      const started: number[] = [];
      const clock = manualClock(t0);
      const worker = new Worker({
        store: slow,
        clock,
        node: 'node-a',
        logger: silentLogger,
        slots: 1,
        execute: async ({ run }): Promise<RunResult> => {
          started.push(run.id);
          return { outcome: 'success' };
        },
      });
      try {
        await store.insertRuns([
          { job: 'tick', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
          { job: 'tick', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
        ]);
        await worker.start(configOf(allowEverySecond).jobs);
        await waitFor(
          'both started with one slot, the first outcome not yet written',
          () => started.length === 2,
        );
        assert.deepEqual(
          (await store.listRuns()).runs.map((run) => run.status),
          ['running', 'running'],
        );
        letFinish();
        await waitFor('both recorded', async () =>
          (await store.listRuns()).runs.every((run) => run.status === 'succeeded'),
        );
      } finally {
        letFinish();
        await worker.drain(0);
        await store.release();
      }
    });

    it('does not look for work again and again while the only due run belongs to a job at its limit', async () => {
      const work = new ControlledWork();
      work.autoResult = undefined;
      let claims = 0;
      const counting = (store: Store): Store => ({
        ...store,
        claimRuns: async (input) => {
          claims++;
          return store.claimRuns(input);
        },
      });
      const yaml = 'version: 1\njobs:\n  line: { concurrency: queue, run: "true" }\n';
      await withHarness(
        yaml,
        async (h) => {
          await h.engine.trigger({ job: 'line' });
          await waitFor('first run started', () => work.held.length === 1);
          await h.engine.trigger({ job: 'line' });
          await settle();
          const before = claims;
          await sleep(200);
          assert.ok(
            claims - before <= 2,
            `claimed ${claims - before} times in 200 ms while nothing could run`,
          );
          assert.equal((await h.runs())[1]?.status, 'pending');
          work.finish(work.held[0] as number);
          await waitFor('the second run started', () => work.started.length === 2);
        },
        { work, store: counting },
      );
    });
  });
}
