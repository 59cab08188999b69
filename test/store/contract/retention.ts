/** History retention: old finished runs, old output and old pings removed a batch at a time. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RunRecord, Store } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun, second } from './context.ts';

const hour = 3_600_000;

/** Runs of `job` that finished at each of `finishedAt`, each with a line of output and a metric. */
async function finishedRuns(
  store: Store,
  finishedAt: readonly number[],
  job = 'backup',
): Promise<RunRecord[]> {
  const { inserted } = await store.insertRuns(finishedAt.map(() => newRun({ job })));
  await store.claimRuns({ node: 'node-a', now: T0, limit: finishedAt.length, leaseMs: hour, jobs: [job] });
  for (const [index, run] of inserted.entries()) {
    const at = finishedAt[index] as number;
    await store.appendLog(run.id, { stream: 'stdout', chunk: `run ${run.id}\n`, at });
    await store.recordMetrics(run.id, { rows: index }, at);
    assert.ok(await store.finishRun(run.id, 'node-a', { status: 'succeeded', finishedAt: at }));
  }
  return [...inserted];
}

export function defineRetentionTests(context: ContractContext): void {
  it('removes runs that finished before the cutoff with their history, a batch at a time, and nothing else', async () => {
    const { store } = context;
    const old = await finishedRuns(store, [T0 + second, T0 + 2 * second, T0 + 3 * second]);
    const recent = await finishedRuns(store, [T0 + 10 * hour]);
    const pending = (await store.insertRuns([newRun({ job: 'slow', scheduledAt: T0 - 100 * hour })]))
      .inserted;
    const event = await store.recordEvent({
      kind: 'run:failed',
      severity: 'failure',
      dedupKey: 'failed:backup',
      job: 'backup',
      runId: old[0]?.id,
      at: T0 + second,
    });
    const cutoff = T0 + hour;

    assert.deepEqual(await store.pruneHistory({ runsFinishedBefore: cutoff, limit: 2 }), {
      runs: 2,
      logs: 0,
      pings: 0,
    });
    assert.deepEqual(await store.pruneHistory({ runsFinishedBefore: cutoff, limit: 2 }), {
      runs: 1,
      logs: 0,
      pings: 0,
    });
    assert.equal((await store.pruneHistory({ runsFinishedBefore: cutoff, limit: 2 })).runs, 0);

    for (const run of old) {
      assert.equal(await store.getRun(run.id), undefined);
      assert.deepEqual(await store.readLogs(run.id), []);
      assert.deepEqual(await store.listTransitions(run.id), []);
      assert.deepEqual(await store.getRunMetrics(run.id), {});
    }
    const kept = (await store.listRuns({ limit: 10 })).runs.map((run) => run.id).sort((a, b) => a - b);
    assert.deepEqual(
      kept,
      [recent[0]?.id, pending[0]?.id].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    assert.equal((await store.readLogs(recent[0]?.id ?? 0)).length, 1);
    const stillThere = await store.getEvent(event.id);
    assert.equal(stillThere?.runId, null, 'the event stays, without its run');
  });

  it("removes a pruned run's fire key with it, and keeps the keys of the runs it keeps", async () => {
    const { store } = context;
    const fired = (key: string) => newRun({ job: 'nightly', trigger: 'schedule', fireKey: key });
    const { inserted } = await store.insertRuns([fired('nightly|old'), fired('nightly|recent')]);
    await store.claimRuns({ node: 'node-a', now: T0, limit: 2, leaseMs: hour, jobs: ['nightly'] });
    for (const [index, run] of inserted.entries()) {
      const finishedAt = index === 0 ? T0 + second : T0 + 10 * hour;
      assert.ok(await store.finishRun(run.id, 'node-a', { status: 'succeeded', finishedAt }));
    }
    assert.equal((await store.pruneHistory({ runsFinishedBefore: T0 + hour, limit: 10 })).runs, 1);

    const again = await store.insertRuns([fired('nightly|old'), fired('nightly|recent')]);
    assert.deepEqual(
      again.inserted.map((run) => run.fireKey),
      ['nightly|old'],
    );
    assert.equal(again.duplicates, 1);
  });

  it('removes the output of old runs but keeps their records, marked truncated', async () => {
    const { store } = context;
    const [old] = await finishedRuns(store, [T0 + second]);
    const [recent] = await finishedRuns(store, [T0 + 10 * hour]);
    assert.deepEqual(await store.pruneHistory({ logsFinishedBefore: T0 + hour, limit: 100 }), {
      runs: 0,
      logs: 1,
      pings: 0,
    });
    assert.equal((await store.pruneHistory({ logsFinishedBefore: T0 + hour, limit: 100 })).logs, 0);
    const record = await store.getRunOrThrow(old?.id ?? 0);
    assert.equal(record.status, 'succeeded');
    assert.equal(record.logTruncated, true);
    assert.deepEqual(await store.readLogs(record.id), []);
    assert.deepEqual(await store.getRunMetrics(record.id), { rows: 0 }, 'numbers stay for guards');
    assert.equal((await store.readLogs(recent?.id ?? 0)).length, 1);
  });

  it('removes pings received before the cutoff', async () => {
    const { store } = context;
    await store.syncMonitors(['backup'], T0);
    const monitor = await store.getMonitor('backup');
    assert.ok(monitor);
    for (const at of [T0 + second, T0 + 2 * second, T0 + 5 * hour]) {
      assert.ok(await store.recordPing({ pingId: monitor.pingId, kind: 'success', at }));
    }
    assert.deepEqual(await store.pruneHistory({ pingsBefore: T0 + hour, limit: 100 }), {
      runs: 0,
      logs: 0,
      pings: 2,
    });
    const left = await store.listPings({ monitor: 'backup', limit: 10 });
    assert.deepEqual(
      left.pings.map((ping) => ping.at),
      [T0 + 5 * hour],
    );
  });

  it('refuses a bad limit or cutoff with an error naming it, removing nothing', async () => {
    const { store } = context;
    await finishedRuns(store, [T0 + second]);
    await assert.rejects(store.pruneHistory({ runsFinishedBefore: T0 + hour, limit: 0 }), /limit/);
    await assert.rejects(
      store.pruneHistory({ runsFinishedBefore: Number.NaN, limit: 10 }),
      /runsFinishedBefore/,
    );
    assert.equal((await store.listRuns({ limit: 10 })).runs.length, 1);
  });
}
