/**
 * Three nodes with equal slots on one PostgreSQL: the runs spread evenly over them, whichever
 * node fired the job or released the queue items (each runs within ±25 % of a third).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../src/engine/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ExecuteInput, RunResult } from '../../src/engine/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { QueueDrainer, planQueueItem } from '../../src/queue/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';

const harness = await createPostgresHarness();
after(() => harness.close());

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const yaml = `version: 1
jobs:
  guarded: { schedule: every 1s, concurrency: forbid, run: "true" }
  batch: { for_each: { n: [${Array.from({ length: 300 }, (_, i) => `n${i}`).join(', ')}] }, run: "true" }
  items: { queue: {}, run: "true" }
`;
const config = configOf(yaml);

interface Node {
  readonly name: string;
  readonly store: Store;
  readonly engine: Engine;
  readonly drainer: QueueDrainer;
}

/** Short work: ten milliseconds, as a quick command would take. */
async function shortWork({ signal }: ExecuteInput): Promise<RunResult> {
  await sleep(10, undefined, { signal }).catch(() => undefined);
  return { outcome: 'success' };
}

async function startNodes(clock: ManualClock): Promise<Node[]> {
  const nodes: Node[] = [];
  for (const name of ['node-a', 'node-b', 'node-c']) {
    const store = await harness.open();
    const engine = new Engine({
      store,
      clock,
      node: name,
      logger: silentLogger,
      execute: shortWork,
      slots: 4,
      runLeaseMs: 30_000,
      pollMs: 1000,
    });
    const drainer = new QueueDrainer({
      store,
      clock,
      node: name,
      logger: silentLogger,
      pollMs: 600_000,
      onReleased: () => void engine.worker.runsQueued(),
    });
    await engine.start(config);
    await drainer.start(config.jobs);
    nodes.push({ name, store, engine, drainer });
  }
  return nodes;
}

async function stopNodes(nodes: readonly Node[]): Promise<void> {
  for (const node of nodes) {
    await node.drainer.release();
    await node.engine.drain(0);
    await node.store.release();
  }
}

async function ended(store: Store, job: string): Promise<RunRecord[]> {
  const page = await store.listRuns({ job, limit: 1000 });
  return page.runs.filter((run) => run.status !== 'pending' && run.status !== 'running');
}

/** Runs per node; asserts each node ran within ±25 % of a third. */
function assertEven(runs: readonly RunRecord[], nodes: readonly Node[]): Record<string, number> {
  const perNode: Record<string, number> = {};
  for (const node of nodes) perNode[node.name] = 0;
  for (const run of runs) perNode[run.node ?? '?'] = (perNode[run.node ?? '?'] ?? 0) + 1;
  const third = runs.length / 3;
  for (const node of nodes) {
    const count = perNode[node.name] ?? 0;
    assert.ok(
      count >= third * 0.75 && count <= third * 1.25,
      `${node.name} ran ${count} of ${runs.length} runs; each should be within ±25 % of ${third.toFixed(0)}: ${JSON.stringify(perNode)}`,
    );
  }
  return perNode;
}

describe('three nodes on one PostgreSQL', () => {
  it('spread the runs of a forbid job the leader fires evenly', async (t) => {
    const clock = manualClock(t0);
    const nodes = await startNodes(clock);
    const fires = 300;
    try {
      const store = nodes[0]?.store as Store;
      for (let fire = 1; fire <= fires; fire++) {
        clock.advance(1000);
        await waitFor(`fire ${fire} ran`, async () => (await ended(store, 'guarded')).length === fire);
      }
      const runs = await ended(store, 'guarded');
      assert.ok(runs.every((run) => run.status === 'succeeded'));
      const leaders = nodes.filter((node) => node.engine.scheduler.isLeader);
      assert.equal(leaders.length, 1, 'one node fired them all');
      t.diagnostic(`runs per node: ${JSON.stringify(assertEven(runs, nodes))}`);
    } finally {
      await stopNodes(nodes);
    }
  });

  it('spread 300 runs queued at once on one node evenly', async (t) => {
    const clock = manualClock(t0);
    const nodes = await startNodes(clock);
    try {
      await nodes[0]?.engine.trigger({ job: 'batch' });
      const store = nodes[0]?.store as Store;
      const runs = await waitFor(
        'the 300 runs ran',
        async () => {
          const done = await ended(store, 'batch');
          return done.length === 300 ? done : undefined;
        },
        20_000,
      );
      t.diagnostic(`runs per node: ${JSON.stringify(assertEven(runs, nodes))}`);
    } finally {
      await stopNodes(nodes);
    }
  });

  it('spread 300 queue items the drainer released evenly', async (t) => {
    const clock = manualClock(t0);
    const nodes = await startNodes(clock);
    try {
      const store = nodes[0]?.store as Store;
      const job = config.jobs.find((entry) => entry.name === 'items');
      assert.ok(job !== undefined);
      await store.insertRuns(
        Array.from({ length: 300 }, (_, i) =>
          planQueueItem(job, clock.now(), { payload: { i }, requestedBy: 'test' }),
        ),
      );
      const released = await nodes[0]?.drainer.drain('items');
      assert.equal(released?.length, 300, 'node-a holds the drainer lease and released them all');
      const runs = await waitFor(
        'the 300 items ran',
        async () => {
          const done = await ended(store, 'items');
          return done.length === 300 ? done : undefined;
        },
        20_000,
      );
      t.diagnostic(`runs per node: ${JSON.stringify(assertEven(runs, nodes))}`);
    } finally {
      await stopNodes(nodes);
    }
  });
});
