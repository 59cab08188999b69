/** The last start of a job and fan-out key, which `cooldown` measures from. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContractContext } from './context.ts';
import { T0, manyRuns, newRun, refusedAt, second } from './context.ts';

const claim = { node: 'node-a', limit: 100, leaseMs: 30 * second };

export function defineRunStartTests(context: ContractContext): void {
  it('answers the latest start of each key: a started run’s start, a pending run’s due time', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'sync', fanKey: 'a', runAfter: T0 }),
      newRun({ job: 'sync', fanKey: 'b', runAfter: T0 + 5 * second }),
    ]);
    const [started] = await store.claimRuns({ ...claim, now: T0 });
    assert.equal(started?.fanKey, 'a');
    await store.finishRun(started?.id ?? 0, 'node-a', { status: 'succeeded', finishedAt: T0 + 60 * second });
    assert.deepEqual(
      await store.lastRunStarts([
        { job: 'sync', fanKey: 'b' },
        { job: 'sync', fanKey: 'a' },
        { job: 'sync', fanKey: 'never' },
        { job: 'other', fanKey: '' },
      ]),
      [
        { job: 'sync', fanKey: 'b', startedAt: T0 + 5 * second },
        { job: 'sync', fanKey: 'a', startedAt: T0 },
      ],
    );
  });

  it('leaves out skipped fires, held items, retries and runs cancelled before they started', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'job', runAfter: T0 }),
      newRun({ job: 'job', runAfter: T0 + 10 * second, status: 'skipped', reason: 'cooldown' }),
      newRun({ job: 'job', runAfter: T0 + 20 * second, status: 'held' }),
      newRun({ job: 'job', runAfter: T0 + 30 * second, attempt: 2 }),
      newRun({ job: 'job', runAfter: T0 + 40 * second }),
    ]);
    await store.cancelRun(inserted[4]?.id ?? 0, { at: T0, node: 'node-a', reason: 'not wanted' });
    assert.deepEqual(await store.lastRunStarts([{ job: 'job', fanKey: '' }]), [
      { job: 'job', fanKey: '', startedAt: T0 },
    ]);
  });

  it('counts a released queue item from its release, and the newest start among many', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', runAfter: T0 - 3600 * second }),
      newRun({ job: 'q', status: 'held' }),
    ]);
    await store.releaseHeldRuns([inserted[1]?.id ?? 0], { at: T0 + 7 * second, node: 'node-a' });
    assert.deepEqual(await store.lastRunStarts([{ job: 'q', fanKey: '' }]), [
      { job: 'q', fanKey: '', startedAt: T0 + 7 * second },
    ]);
  });

  it('refuses a key without a job name', async () => {
    await assert.rejects(context.store.lastRunStarts([{ job: '', fanKey: '' }]), refusedAt('job'));
  });

  it('finds the last start through the index runs_last_start', async () => {
    const { harness, store } = context;
    await store.insertRuns(manyRuns(3000, 'busy'));
    await harness.query(harness.url, 'ANALYZE');
    const query =
      "SELECT (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END) AS started " +
      "FROM runs WHERE job = 'j' AND fan_key = '' AND attempt = 1 AND status <> 'held' AND status <> 'skipped' " +
      "AND (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END) IS NOT NULL " +
      "ORDER BY (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END) DESC LIMIT 1";
    const plan = await harness.query(
      harness.url,
      `${harness.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${query}`,
    );
    assert.match(JSON.stringify(plan), /runs_last_start/);
  });
}
