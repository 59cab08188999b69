/** What the dispatch path relies on: claiming ahead of the due time, the real start, paused jobs, status listings. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RunRecord } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun, second } from './context.ts';

const claim = { node: 'node-a', now: T0, limit: 100, leaseMs: 30 * second };

export function defineDispatchTests(context: ContractContext): void {
  it('claims runs due within aheadMs, recording their due time as their start, and no later ones', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'due', runAfter: T0 - second }),
      newRun({ job: 'soon', runAfter: T0 + 200 }),
      newRun({ job: 'edge', runAfter: T0 + 250 }),
      newRun({ job: 'later', runAfter: T0 + 251 }),
    ]);
    const claimed = await store.claimRuns({ ...claim, aheadMs: 250 });
    assert.deepEqual(
      claimed.map((run) => [run.job, run.status, run.startedAt, run.leaseExpiresAt]),
      [
        ['due', 'running', T0, T0 + 30 * second],
        ['soon', 'running', T0 + 200, T0 + 30 * second],
        ['edge', 'running', T0 + 250, T0 + 30 * second],
      ],
    );
    for (const run of claimed) assert.deepEqual(await store.getRunOrThrow(run.id), run);
    const soon = claimed[1] as RunRecord;
    assert.deepEqual(
      (await store.listTransitions(soon.id)).map((transition) => [transition.to, transition.at]),
      [
        ['pending', T0],
        ['running', T0],
      ],
      'the change of status is recorded when it happened, at the claim',
    );
    assert.equal((await store.getRunOrThrow(soon.id)).status, 'running');
    assert.deepEqual(await store.claimRuns({ ...claim, aheadMs: 250 }), []);
    assert.deepEqual(
      (await store.claimRuns({ ...claim, now: T0 + 251 })).map((run) => run.job),
      ['later'],
    );
  });

  it('refuses a negative or fractional aheadMs', async () => {
    const { store } = context;
    await assert.rejects(store.claimRuns({ ...claim, aheadMs: -1 }), {
      code: 'store.input',
      message: /aheadMs/,
    });
    await assert.rejects(store.claimRuns({ ...claim, aheadMs: 0.5 }), { code: 'store.input' });
  });

  it('records when the work began, given at finish, and keeps the claimed start when none is given', async () => {
    const { store } = context;
    await store.insertRuns([newRun({ job: 'late-timer', runAfter: T0 + 100 }), newRun({ job: 'plain' })]);
    const runs = await store.claimRuns({ ...claim, aheadMs: 100 });
    const late = runs.find((run) => run.job === 'late-timer') as RunRecord;
    const plain = runs.find((run) => run.job === 'plain') as RunRecord;
    assert.equal(late.startedAt, T0 + 100);
    const [lateDone, plainDone] = await Promise.all([
      store.finishRun(late.id, 'node-a', { status: 'succeeded', finishedAt: T0 + 900, startedAt: T0 + 103 }),
      store.finishRun(plain.id, 'node-a', { status: 'succeeded', finishedAt: T0 + 900 }),
    ]);
    assert.deepEqual([lateDone, plainDone], [true, true]);
    assert.equal((await store.getRunOrThrow(late.id)).startedAt, T0 + 103);
    assert.equal((await store.getRunOrThrow(plain.id)).startedAt, T0);
    await assert.rejects(
      store.finishRun(plain.id, 'node-a', { status: 'failed', finishedAt: T0, startedAt: 1.5 }),
      { code: 'store.input', message: /startedAt/ },
    );
  });

  it('lists the paused jobs that are still in the job file, by name', async () => {
    const { store } = context;
    const spec = { run: 'true' };
    await store.syncJobs(
      ['c', 'a', 'b', 'gone'].map((name) => ({ name, configHash: 'h', spec })),
      T0,
    );
    assert.deepEqual(await store.listPausedJobs(), []);
    for (const name of ['c', 'a', 'gone']) assert.equal(await store.setJobPaused(name, true, T0), true);
    await store.syncJobs(
      ['c', 'a', 'b'].map((name) => ({ name, configHash: 'h', spec })),
      T0 + second,
    );
    assert.deepEqual(await store.listPausedJobs(), ['a', 'c']);
    await store.setJobPaused('c', false, T0 + 2 * second);
    assert.deepEqual(await store.listPausedJobs(), ['a']);
  });

  it('keeps the paused jobs alone in the index jobs_paused, which the reread of the paused jobs uses', async () => {
    const { harness, store } = context;
    const spec = { run: 'true' };
    const names = Array.from({ length: 3000 }, (_, index) => `job-${String(index).padStart(4, '0')}`);
    await store.syncJobs(
      names.map((name) => ({ name, configHash: 'h', spec })),
      T0,
    );
    for (const name of ['job-0007', 'job-2999']) await store.setJobPaused(name, true, T0);
    await harness.query(harness.url, 'ANALYZE');
    const definition =
      harness.dialect === 'sqlite'
        ? "SELECT sql AS definition FROM sqlite_master WHERE name = 'jobs_paused'"
        : "SELECT indexdef AS definition FROM pg_indexes WHERE indexname = 'jobs_paused'";
    const [index] = await harness.query<{ definition: string }>(harness.url, definition);
    assert.match(index?.definition ?? '', /\(name\) WHERE paused/i);
    // The query of listPausedJobs (sql/job-queries.ts, pausedJobsQuery).
    const query = 'SELECT name FROM jobs WHERE paused AND removed_at IS NULL ORDER BY name';
    const plan = await harness.query(
      harness.url,
      `${harness.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${query}`,
    );
    assert.match(JSON.stringify(plan), /jobs_paused/);
    assert.deepEqual(await store.listPausedJobs(), ['job-0007', 'job-2999']);
  });

  it('lists runs by any status and mix of statuses, whichever index holds them', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns(
      ['succeeded', 'failed', 'lost', 'running', 'pending', 'skipped'].map((job) => newRun({ job })),
    );
    const byJob = new Map(inserted.map((run) => [run.job, run]));
    const claimed = await store.claimRuns({ ...claim, jobs: ['succeeded', 'failed', 'lost', 'running'] });
    assert.equal(claimed.length, 4);
    await store.finishRun(byJob.get('succeeded')!.id, 'node-a', { status: 'succeeded', finishedAt: T0 + 1 });
    await store.finishRun(byJob.get('failed')!.id, 'node-a', { status: 'failed', finishedAt: T0 + 1 });
    await store.renewLeases('node-a', [byJob.get('running')!.id], T0 + 3600 * second);
    assert.equal((await store.expireLeases(T0 + 60 * second)).length, 1, 'the lost run, through runs_active');
    await store.cancelRun(byJob.get('skipped')!.id, { at: T0 + 1, reason: 'test' });
    const jobs = async (status: Parameters<typeof store.listRuns>[0]) =>
      (await store.listRuns(status)).runs.map((run) => run.job).sort();
    assert.deepEqual(await jobs({ status: 'pending' }), ['pending']);
    assert.deepEqual(await jobs({ status: 'running' }), ['running']);
    assert.deepEqual(await jobs({ status: ['pending', 'running'] }), ['pending', 'running']);
    assert.deepEqual(await jobs({ status: 'succeeded' }), ['succeeded']);
    assert.deepEqual(await jobs({ status: 'failed' }), ['failed']);
    assert.deepEqual(await jobs({ status: ['lost', 'cancelled'] }), ['lost', 'skipped']);
    assert.deepEqual(await jobs({ status: ['running', 'failed', 'succeeded'] }), [
      'failed',
      'running',
      'succeeded',
    ]);
  });
}
