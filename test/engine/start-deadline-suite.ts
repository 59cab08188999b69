import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../src/engine/index.ts';
import { configOf, silentLogger, startHarness, waitFor } from '../support/engine-harness.ts';
import type { Harness, StoreFactory } from '../support/engine-harness.ts';

const minute = 60_000;
/** A second before the 00:05 fire of an every-5-minutes job, which is recorded ahead. */
const beforeFire = Date.UTC(2026, 0, 1, 0, 4, 59);
const fireAt = Date.UTC(2026, 0, 1, 0, 5);

const yaml =
  'version: 1\njobs:\n  report: { schedule: every 5m, concurrency: allow, start_deadline: 10s, run: "true" }\n';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A node started again on the same store (the first one stopped), with the same clock and work. */
async function restart(h: Harness, node: string): Promise<Engine> {
  const engine = new Engine({
    store: h.store,
    clock: h.clock,
    node,
    logger: silentLogger,
    execute: h.work.execute,
    runLeaseMs: 30_000,
    pollMs: 1000,
  });
  await engine.start(configOf(yaml));
  return engine;
}

/** `start_deadline` is checked when a run is claimed, not only when it is fired. */
export function defineStartDeadlineSuite(storeName: string, makeStore: StoreFactory): void {
  describe(`the start deadline at claim on ${storeName}`, () => {
    it('skips a run recorded ahead that outlived a full stop, with the reason, and reports the fire missed', async () => {
      const h = await startHarness(makeStore, configOf(yaml), { start: beforeFire });
      let second: Engine | undefined;
      try {
        await waitFor('the 00:05 fire recorded ahead', async () => (await h.runs()).length === 1);
        await h.engine.drain(0);
        assert.equal((await h.runs())[0]?.status, 'pending');
        // Down for 90 s: the run is 90 s late when a node starts again, its deadline is 10 s.
        h.clock.set(fireAt + 1.5 * minute);
        second = await restart(h, 'node-b');
        const [run] = await waitFor('the run ended', async () => {
          const runs = await h.runs();
          return runs[0]?.status === 'skipped' ? runs : undefined;
        });
        assert.equal(run?.trigger, 'schedule');
        assert.equal(
          run?.statusReason,
          `start deadline passed: due at ${iso(fireAt)}, claimed at ${iso(fireAt + 1.5 * minute)} (start_deadline 10000 ms)`,
        );
        assert.equal(h.work.started.length, 0, 'the work never began');
        assert.equal(run?.startedAt, run?.finishedAt);
        const transitions = await h.store.listTransitions(run?.id as number);
        assert.deepEqual(
          transitions.map((step) => [step.from, step.to]),
          [
            [null, 'pending'],
            ['pending', 'running'],
            ['running', 'skipped'],
          ],
        );
        const { events } = await waitFor('the missed fire reported', async () => {
          const page = await h.store.listEvents({ kind: 'schedule:missed' });
          return page.events.length === 1 ? page : undefined;
        });
        assert.equal(events[0]?.job, 'report');
        const details = events[0]?.details as Record<string, unknown>;
        assert.equal(details['count'], 1);
        assert.equal(details['first'], iso(fireAt));
        assert.equal(details['reason'], `claimed at ${iso(fireAt + 1.5 * minute)}, past the start deadline`);
      } finally {
        await second?.drain(0);
        await h.release();
      }
    });

    it('runs a manual run however long it waited: only scheduled runs have a start deadline', async () => {
      const h = await startHarness(makeStore, configOf(yaml), { start: beforeFire });
      let second: Engine | undefined;
      try {
        await waitFor('the 00:05 fire recorded ahead', async () => (await h.runs()).length === 1);
        await h.engine.drain(0);
        const [manual] = await h.engine.trigger({ job: 'report' });
        h.clock.set(fireAt + 1.5 * minute);
        second = await restart(h, 'node-b');
        await waitFor('both ended', async () =>
          (await h.runs()).every((run) => run.status !== 'pending' && run.status !== 'running'),
        );
        const runs = await h.runs();
        assert.deepEqual(
          runs.map((run) => [run.trigger, run.status]),
          [
            ['schedule', 'skipped'],
            ['manual', 'succeeded'],
          ],
        );
        assert.deepEqual(
          h.work.started.map((run) => run.id),
          [manual?.id],
        );
      } finally {
        await second?.drain(0);
        await h.release();
      }
    });

    it('runs a scheduled run claimed within its deadline', async () => {
      const h = await startHarness(makeStore, configOf(yaml), { start: beforeFire });
      let second: Engine | undefined;
      try {
        await waitFor('the 00:05 fire recorded ahead', async () => (await h.runs()).length === 1);
        await h.engine.drain(0);
        h.clock.set(fireAt + 9_000);
        second = await restart(h, 'node-b');
        await waitFor('it ran', async () => (await h.runs())[0]?.status === 'succeeded');
        assert.equal(h.work.started.length, 1);
      } finally {
        await second?.drain(0);
        await h.release();
      }
    });
  });
}
