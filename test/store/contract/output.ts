/** What runs produce: output chunks with counts, and reported metrics. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContractContext } from './context.ts';
import { T0, newRun } from './context.ts';

export function defineOutputTests(context: ContractContext): void {
  it('appends output in order, counts its bytes and reads it back after a sequence number', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun(), newRun()]);
    const [run, other] = inserted as [(typeof inserted)[0], (typeof inserted)[0]];
    assert.deepEqual(await store.appendLog(run.id, { stream: 'stdout', chunk: 'héllo\n', at: T0 + 1 }), {
      seq: 1,
      logBytes: 7,
    });
    await store.appendLog(other.id, { stream: 'stdout', chunk: 'other run', at: T0 + 1 });
    assert.deepEqual(await store.appendLog(run.id, { stream: 'stderr', chunk: 'warn: 😀\n', at: T0 + 2 }), {
      seq: 2,
      logBytes: 18,
    });
    await store.appendLog(run.id, { stream: 'system', chunk: 'output capped', at: T0 + 3, truncated: true });
    const chunks = await store.readLogs(run.id);
    assert.deepEqual(
      chunks.map((chunk) => [chunk.seq, chunk.stream, chunk.chunk, chunk.at]),
      [
        [1, 'stdout', 'héllo\n', T0 + 1],
        [2, 'stderr', 'warn: 😀\n', T0 + 2],
        [3, 'system', 'output capped', T0 + 3],
      ],
    );
    assert.deepEqual(
      (await store.readLogs(run.id, { afterSeq: 1, limit: 1 })).map((chunk) => chunk.seq),
      [2],
    );
    assert.deepEqual(await store.readLogs(run.id, { afterSeq: 3 }), []);
    const stored = await store.getRunOrThrow(run.id);
    assert.deepEqual([stored.logBytes, stored.logTruncated], [31, true]);
    assert.equal((await store.getRunOrThrow(other.id)).logTruncated, false);
  });

  it('keeps appends to one run in order when they are made at once', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun()]);
    const id = inserted[0]!.id;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        store.appendLog(id, { stream: 'stdout', chunk: `${index};`, at: T0 }),
      ),
    );
    assert.deepEqual(
      results.map((result) => result.seq).sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
    assert.equal((await store.readLogs(id)).length, 50);
  });

  it('stores reported metrics per run, replaces a name reported again, and lists them newest first', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'eval', fanKey: 'acme' }),
      newRun({ job: 'eval', fanKey: 'globex' }),
      newRun({ job: 'other' }),
    ]);
    const [acme, globex, other] = inserted as [
      (typeof inserted)[0],
      (typeof inserted)[0],
      (typeof inserted)[0],
    ];
    assert.equal(await store.recordMetrics(acme.id, { accuracy: 0.91, rows: 1200 }, T0 + 1), 2);
    assert.equal(await store.recordMetrics(globex.id, { accuracy: 0.87 }, T0 + 2), 1);
    await store.recordMetrics(other.id, { accuracy: 0.5 }, T0 + 3);
    await store.recordMetrics(acme.id, { accuracy: 0.93 }, T0 + 4);
    assert.deepEqual(
      (await store.listMetrics({ job: 'eval', name: 'accuracy' })).map((point) => [
        point.fanKey,
        point.value,
        point.at,
      ]),
      [
        ['acme', 0.93, T0 + 4],
        ['globex', 0.87, T0 + 2],
      ],
    );
    assert.deepEqual(await store.listMetrics({ job: 'eval', fanKey: 'acme', name: 'rows' }), [
      { runId: acme.id, job: 'eval', fanKey: 'acme', name: 'rows', value: 1200, at: T0 + 1 },
    ]);
    assert.equal((await store.listMetrics({ job: 'eval', limit: 1 })).length, 1);
    await assert.rejects(store.recordMetrics(acme.id, { bad: Number.NaN }, T0), {
      code: 'store.input',
      message: /metrics\.bad/,
    });
    await assert.rejects(store.recordMetrics(424242, { x: 1 }, T0), { code: 'store.not_found' });
    assert.equal(await store.recordMetrics(acme.id, {}, T0), 0);
  });

  it('lists only the metrics of runs in a given status, leaving one run out when asked (a guard’s history)', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'eval' }),
      newRun({ job: 'eval' }),
      newRun({ job: 'eval' }),
      newRun({ job: 'eval' }),
    ]);
    const claimed = await store.claimRuns({ node: 'n1', now: T0, limit: 4, leaseMs: 60_000 });
    assert.equal(claimed.length, 4);
    const [good, bad, current, running] = inserted as [
      (typeof inserted)[0],
      (typeof inserted)[0],
      (typeof inserted)[0],
      (typeof inserted)[0],
    ];
    await store.finishRun(good.id, 'n1', { status: 'succeeded', finishedAt: T0 + 1 });
    await store.finishRun(bad.id, 'n1', { status: 'failed', finishedAt: T0 + 2 });
    await store.finishRun(current.id, 'n1', { status: 'succeeded', finishedAt: T0 + 3 });
    await store.recordMetrics(good.id, { rate: 0.1 }, T0 + 1);
    await store.recordMetrics(bad.id, { rate: 0.9 }, T0 + 2);
    await store.recordMetrics(current.id, { rate: 0.5 }, T0 + 3);
    await store.recordMetrics(running.id, { rate: 0.7 }, T0 + 4);
    const values = async (query: Omit<Parameters<typeof store.listMetrics>[0], 'job'>): Promise<number[]> =>
      (await store.listMetrics({ job: 'eval', name: 'rate', ...query })).map((point) => point.value);
    assert.deepEqual(await values({}), [0.7, 0.5, 0.9, 0.1]);
    assert.deepEqual(await values({ runStatus: 'succeeded' }), [0.5, 0.1]);
    assert.deepEqual(await values({ runStatus: 'succeeded', excludeRunId: current.id }), [0.1]);
    assert.deepEqual(await values({ runStatus: ['failed', 'running'] }), [0.7, 0.9]);
    assert.deepEqual(await values({ excludeRunId: running.id, limit: 1 }), [0.5]);
    assert.deepEqual(await values({ runStatus: [] }), []);
    await assert.rejects(store.listMetrics({ job: 'eval', runStatus: ['done' as 'succeeded'] }), {
      code: 'store.status',
      message: /"done"/,
    });
  });
}
