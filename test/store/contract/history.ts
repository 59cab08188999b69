/** History for charts: a job's metric series, one series over a range (down-sampled), run counts per bucket. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RunRecord } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun, readWhileWriting, refusedAt } from './context.ts';

const minute = 60_000;
const hour = 60 * minute;

export function defineHistoryTests(context: ContractContext): void {
  it('lists the metrics a job reported per fan-out key, with how many values and when', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'eval', fanKey: 'acme' }),
      newRun({ job: 'eval', fanKey: 'acme' }),
      newRun({ job: 'eval', fanKey: 'globex' }),
      newRun({ job: 'other' }),
    ]);
    const [a1, a2, g1, other] = inserted as RunRecord[];
    await store.recordMetrics(a1!.id, { refusal_rate: 0.02, citation_rate: 0.8 }, T0 + 1);
    await store.recordMetrics(a2!.id, { refusal_rate: 0.03 }, T0 + 5);
    await store.recordMetrics(g1!.id, { refusal_rate: 0.1 }, T0 + 3);
    await store.recordMetrics(other!.id, { rows: 1 }, T0);
    assert.deepEqual(await store.listMetricSeries('eval'), [
      { name: 'citation_rate', fanKey: 'acme', points: 1, firstAt: T0 + 1, lastAt: T0 + 1 },
      { name: 'refusal_rate', fanKey: 'acme', points: 2, firstAt: T0 + 1, lastAt: T0 + 5 },
      { name: 'refusal_rate', fanKey: 'globex', points: 1, firstAt: T0 + 3, lastAt: T0 + 3 },
    ]);
    assert.deepEqual(await store.listMetricSeries('nothing'), []);
  });

  it('reads a metric over a range as reported when it holds no more values than asked', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns(
      Array.from({ length: 6 }, (_, index) => newRun({ job: 'eval', fanKey: index % 2 === 0 ? 'a' : 'b' })),
    );
    for (const [index, run] of inserted.entries()) {
      await store.recordMetrics(run.id, { rate: index / 10, other: 1 }, T0 + index * minute);
    }
    const history = await store.readMetricHistory({
      job: 'eval',
      name: 'rate',
      from: T0 + minute,
      to: T0 + 5 * minute,
      maxPoints: 10,
    });
    assert.equal(history.bucketMs, null);
    assert.deepEqual(
      history.buckets.map((bucket) => [
        bucket.fanKey,
        bucket.at - T0,
        bucket.count,
        bucket.last,
        bucket.mean,
      ]),
      [
        ['a', 2 * minute, 1, 0.2, 0.2],
        ['a', 4 * minute, 1, 0.4, 0.4],
        ['b', 1 * minute, 1, 0.1, 0.1],
        ['b', 3 * minute, 1, 0.3, 0.3],
      ],
    );
    assert.equal(history.buckets[0]?.lastRunId, inserted[2]?.id);
    const onlyB = await store.readMetricHistory({
      job: 'eval',
      name: 'rate',
      fanKey: 'b',
      from: T0,
      to: T0 + hour,
      maxPoints: 10,
    });
    assert.deepEqual(
      onlyB.buckets.map((bucket) => bucket.min),
      [0.1, 0.3, 0.5],
    );
  });

  it('down-samples a range holding more values than asked into aligned buckets of count, min, max, mean and last', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns(
      Array.from({ length: 100 }, () => newRun({ job: 'eval', fanKey: 'a' })),
    );
    for (const [index, run] of inserted.entries()) {
      await store.recordMetrics(run.id, { rate: index }, T0 + index * minute);
    }
    const history = await store.readMetricHistory({
      job: 'eval',
      name: 'rate',
      from: T0,
      to: T0 + 100 * minute,
      maxPoints: 11,
    });
    assert.equal(history.bucketMs, 10 * minute);
    assert.equal(history.buckets.length, 10);
    assert.deepEqual(history.buckets[3], {
      fanKey: 'a',
      at: T0 + 30 * minute,
      count: 10,
      min: 30,
      max: 39,
      mean: 34.5,
      last: 39,
      lastRunId: inserted[39]?.id,
    });
    const few = await store.readMetricHistory({
      job: 'eval',
      name: 'rate',
      from: T0,
      to: T0 + 100 * minute,
      maxPoints: 2,
    });
    assert.ok(few.buckets.length <= 2, `${few.buckets.length} buckets`);
    assert.equal(
      few.buckets.reduce((sum, bucket) => sum + bucket.count, 0),
      100,
    );
  });

  it('counts runs per status per bucket of scheduled time, for a job or every job', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'a', scheduledAt: T0 }),
      newRun({ job: 'a', scheduledAt: T0 + 30 * minute }),
      newRun({ job: 'a', scheduledAt: T0 + 59 * minute }),
      newRun({ job: 'a', scheduledAt: T0 + 2 * hour }),
      newRun({ job: 'b', scheduledAt: T0 + 10 * minute }),
      newRun({ job: 'a', scheduledAt: T0 - 1 }),
      newRun({ job: 'a', scheduledAt: T0 + 3 * hour }),
    ]);
    assert.ok(await store.cancelRun(inserted[1]!.id, { at: T0 }));
    const counts = await store.countRunsByBucket({ job: 'a', from: T0, to: T0 + 3 * hour, bucketMs: hour });
    assert.deepEqual(counts, [
      { start: T0, status: 'cancelled', count: 1 },
      { start: T0, status: 'pending', count: 2 },
      { start: T0 + 2 * hour, status: 'pending', count: 1 },
    ]);
    assert.deepEqual(await store.countRunsByBucket({ from: T0, to: T0 + hour, bucketMs: hour }), [
      { start: T0, status: 'cancelled', count: 1 },
      { start: T0, status: 'pending', count: 3 },
    ]);
    // Buckets line up with the epoch, not with `from`: a day's bucket starts at midnight UTC.
    const day = 24 * hour;
    assert.deepEqual(await store.countRunsByBucket({ job: 'b', from: T0, to: T0 + day, bucketMs: day }), [
      { start: T0 - 2 * hour, status: 'pending', count: 1 },
    ]);
  });

  it('counts held, pending, running and ended runs of one bucket alike, whichever index holds them', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'c', scheduledAt: T0, status: 'held' }),
      newRun({ job: 'c', scheduledAt: T0 + minute }),
      newRun({ job: 'c', scheduledAt: T0 + 2 * minute }),
      newRun({ job: 'c', scheduledAt: T0 + 3 * minute }),
      newRun({ job: 'c', scheduledAt: T0 + 4 * minute, status: 'skipped' }),
    ]);
    const [running, succeeded] = await store.claimRuns({
      node: 'n',
      now: T0 + 4 * minute,
      limit: 2,
      leaseMs: hour,
      jobs: ['c'],
    });
    assert.ok(running !== undefined && succeeded !== undefined);
    assert.ok(await store.finishRun(succeeded.id, 'n', { status: 'succeeded', finishedAt: T0 + 1 }));
    const expected = [
      { start: T0, status: 'held', count: 1 },
      { start: T0, status: 'pending', count: 1 },
      { start: T0, status: 'running', count: 1 },
      { start: T0, status: 'skipped', count: 1 },
      { start: T0, status: 'succeeded', count: 1 },
    ];
    assert.deepEqual(
      await store.countRunsByBucket({ job: 'c', from: T0, to: T0 + hour, bucketMs: hour }),
      expected,
    );
    assert.deepEqual(await store.countRunsByBucket({ from: T0, to: T0 + hour, bucketMs: hour }), expected);
  });

  it('counts every run of a bucket while runs end meanwhile: a run ending during a count is counted once', async () => {
    const { store } = context;
    await store.insertRuns(Array.from({ length: 60 }, () => newRun({ job: 'd', scheduledAt: T0 })));
    const claimed = await store.claimRuns({ node: 'n', now: T0, limit: 60, leaseMs: hour, jobs: ['d'] });
    assert.equal(claimed.length, 60);
    const totals = await readWhileWriting(
      claimed.map((run) => () => store.finishRun(run.id, 'n', { status: 'succeeded', finishedAt: T0 + 1 })),
      async () =>
        (await store.countRunsByBucket({ job: 'd', from: T0, to: T0 + hour, bucketMs: hour })).reduce(
          (sum, bucket) => sum + bucket.count,
          0,
        ),
    );
    assert.deepEqual(
      totals.filter((total) => total !== 60),
      [],
      'counts made while runs ended that were not 60',
    );
  });

  it('refuses a range that ends before it starts, a width too small for it, and a point count out of bounds', async () => {
    const { store } = context;
    await assert.rejects(store.countRunsByBucket({ from: T0, to: T0, bucketMs: hour }), refusedAt('to'));
    await assert.rejects(
      store.countRunsByBucket({ from: T0, to: T0 + 10_001 * minute, bucketMs: minute }),
      refusedAt('bucketMs'),
    );
    await assert.rejects(
      store.readMetricHistory({ job: 'eval', name: 'rate', from: T0 + 1, to: T0, maxPoints: 10 }),
      refusedAt('to'),
    );
    await assert.rejects(
      store.readMetricHistory({ job: 'eval', name: 'rate', from: T0, to: T0 + 1, maxPoints: 1 }),
      refusedAt('maxPoints'),
    );
  });
}
