/** The queue drainer on a real store with a manual clock: what a pass releases, and when. */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { ResolvedJob } from '../../src/config/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { planQueueItem, QueueDrainer } from '../../src/queue/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

const config = configOf(`version: 1
jobs:
  audit:
    schedule: every 10s
    queue: { key: org, per_key: 1, max_per_run: 2 }
    run: 'true'
  drain:
    queue: { key: org }
    run: 'true'
  plain:
    run: 'true'
  fanned:
    for_each: { tenant: [a, b] }
    queue: {}
    run: 'true'
`);
const jobOf = (name: string): ResolvedJob => config.jobs.find((job) => job.name === name)!;

describe('the queue drainer', () => {
  let harness: StoreHarness;
  let store: Store;
  let clock: ManualClock;
  const drainers: QueueDrainer[] = [];

  before(async () => {
    harness = await createSqliteHarness();
    store = await harness.open();
  });
  after(async () => {
    await store.release();
    await harness.close();
  });
  beforeEach(async () => {
    await harness.reset();
    clock = manualClock(T0 + 5000);
  });
  afterEach(async () => {
    for (const drainer of drainers.splice(0)) await drainer.release();
  });

  async function drainer(node = 'n1', released: number[][] = []): Promise<QueueDrainer> {
    const made = new QueueDrainer({
      store,
      clock,
      node,
      logger: silentLogger,
      pollMs: 60_000,
      onReleased: (_job, ids) => released.push([...ids]),
    });
    drainers.push(made);
    await made.start(config.jobs);
    return made;
  }

  async function enqueue(job: string, org: string): Promise<number> {
    const { inserted } = await store.insertRuns([
      planQueueItem(jobOf(job), clock.now(), { payload: { org }, requestedBy: 'test' }),
    ]);
    return inserted[0]!.id;
  }

  it('releases the oldest waiting items: at most max_per_run a pass, at most per_key in progress per key', async () => {
    const [a1, a2, b1, c1, a3, b2] = [
      await enqueue('audit', 'a'),
      await enqueue('audit', 'a'),
      await enqueue('audit', 'b'),
      await enqueue('audit', 'c'),
      await enqueue('audit', 'a'),
      await enqueue('audit', 'b'),
    ];
    const queue = await drainer();
    assert.deepEqual(await queue.drain('audit'), [a1, b1]);
    assert.deepEqual(await queue.drain('audit'), [c1], 'a and b already have one in progress');
    const claimed = await store.claimRuns({ node: 'w', now: clock.now(), limit: 10, leaseMs: 60_000 });
    assert.deepEqual(
      claimed.map((run) => run.id),
      [a1, b1, c1],
    );
    await store.finishRun(a1!, 'w', { status: 'succeeded', finishedAt: clock.now() });
    await store.finishRun(c1!, 'w', { status: 'succeeded', finishedAt: clock.now() });
    assert.deepEqual(await queue.drain('audit'), [a2], 'the oldest org-a item, once org-a is free');
    const waiting = await store.listHeldRuns({ job: 'audit' });
    assert.deepEqual(
      waiting.map((run) => run.id),
      [a3, b2],
    );
  });

  it('keeps an item held until a pass releases it, and records the release as held to pending', async () => {
    const item = await enqueue('drain', 'a');
    const enqueued = await store.getRunOrThrow(item);
    assert.deepEqual([enqueued.status, enqueued.runAfter], ['held', T0 + 5000]);
    assert.equal(await store.nextPendingRunAfter(), null, 'no worker is woken for a held item');
    assert.deepEqual(await store.claimRuns({ node: 'w', now: T0 + 10 ** 12, limit: 10, leaseMs: 1000 }), []);
    const queue = await drainer('n1');
    clock.advance(1000);
    assert.deepEqual(await queue.drain('drain'), [item]);
    const released = await store.getRunOrThrow(item);
    assert.deepEqual([released.status, released.runAfter], ['pending', T0 + 6000]);
    assert.deepEqual(
      (await store.listTransitions(item)).map((row) => [row.from, row.to, row.at, row.node]),
      [
        [null, 'held', T0 + 5000, null],
        ['held', 'pending', T0 + 6000, 'n1'],
      ],
    );
  });

  it('releases at each fire of the job’s schedule and not between', async () => {
    const released: number[][] = [];
    await drainer('n1', released);
    const item = await enqueue('audit', 'a');
    clock.advance(4000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(released, [], 'no fire yet');
    clock.advance(1000);
    await waitFor('the fire at T0+10s to release the item', () => (released.length > 0 ? true : undefined));
    assert.deepEqual(released, [[item]]);
    assert.equal((await store.getRunOrThrow(item)).runAfter, T0 + 10_000);
  });

  it('releases nothing for a paused job until it is resumed', async () => {
    const queue = await drainer();
    const item = await enqueue('audit', 'a');
    queue.setPaused('audit', true);
    assert.deepEqual(await queue.drain('audit'), []);
    queue.setPaused('audit', false);
    assert.deepEqual(await queue.drain('audit'), [item]);
  });

  it('honours a pause recorded in the store by another node', async () => {
    const queue = await drainer();
    await store.syncJobs([{ name: 'audit', configHash: 'h', spec: null }], T0);
    const item = await enqueue('audit', 'a');
    await store.setJobPaused('audit', true, T0);
    assert.deepEqual(await queue.drain('audit'), []);
    await store.setJobPaused('audit', false, T0);
    assert.deepEqual(await queue.drain('audit'), [item]);
  });

  it('remembers pauses recorded in the store when it starts', async () => {
    await store.syncJobs([{ name: 'audit', configHash: 'h', spec: null }], T0);
    await store.setJobPaused('audit', true, T0);
    const queue = await drainer();
    await enqueue('audit', 'a');
    assert.deepEqual(await queue.drain('audit'), []);
  });

  it('drains a queue job without a schedule as soon as items arrive', async () => {
    const released: number[][] = [];
    const queue = await drainer('n1', released);
    const first = await enqueue('drain', 'a');
    const second = await enqueue('drain', 'a');
    queue.notify('drain');
    await waitFor('the items released', () => (released.length > 0 ? true : undefined));
    assert.deepEqual(released, [[first, second]], 'no per_key: both go');
  });

  it('lets one node at a time release, so two drainers never release the same items twice', async () => {
    const one = await drainer('n1');
    const two = await drainer('n2');
    const item = await enqueue('audit', 'a');
    const results = await Promise.all([one.drain('audit'), two.drain('audit')]);
    assert.deepEqual(results.flat(), [item]);
    assert.deepEqual(await two.drain('audit'), [], 'n1 holds the lease');
  });

  it('plans an item as a held API run with the payload’s key, refusing what cannot be drained', () => {
    const item = planQueueItem(jobOf('audit'), T0, { payload: { org: 42, batch: 'x' }, requestedBy: 'app' });
    assert.equal(item.rateKey, '42');
    assert.equal(item.status, 'held');
    assert.equal(item.runAfter, T0, 'held from its enqueue; the release makes it due');
    assert.equal(item.trigger, 'api');
    assert.equal(item.requestedBy, 'app');
    assert.deepEqual(item.payload, { org: 42, batch: 'x' });
    assert.throws(() => planQueueItem(jobOf('audit'), T0, { payload: { batch: 'x' }, requestedBy: 'app' }), {
      code: 'queue.key',
      message: /the payload has no "org" field/,
    });
    assert.throws(() => planQueueItem(jobOf('audit'), T0, { payload: [1], requestedBy: 'app' }), {
      code: 'queue.key',
      message: /found an array/,
    });
    assert.throws(() => planQueueItem(jobOf('plain'), T0, { payload: {}, requestedBy: 'app' }), {
      code: 'queue.not-a-queue',
    });
    assert.throws(() => planQueueItem(jobOf('fanned'), T0, { payload: {}, requestedBy: 'app' }), {
      code: 'queue.fan-out',
    });
  });
});
