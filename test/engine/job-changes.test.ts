/**
 * A job changed through the API while one of its fires is due but not recorded yet (the tick
 * has not run, or the store failed it and it waits for a retry) keeps that fire: it is recorded
 * at the next tick, as a reloaded job file's jobs keep theirs. So does a job changed while the
 * tick's write of its fire is under way and then fails.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, beforeEach, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { Scheduler } from '../../src/engine/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());
beforeEach(() => harness.reset());

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1, 0, 0, 30);

describe('a job changed while its fire is due', () => {
  it('keeps the fire the store failed to record: recorded once the store answers again', async () => {
    const store: Store = await harness.open();
    const clock = manualClock(t0);
    const before = configOf('version: 1\njobs:\n  tick: { schedule: every 1m, run: "echo a" }\n');
    const changed = configOf('version: 1\njobs:\n  tick: { schedule: every 1m, run: "echo b" }\n');
    const scheduler = new Scheduler({ store, clock, node: 'node-a', logger: silentLogger, lookAheadMs: 0 });
    const insertRuns = store.insertRuns.bind(store);
    try {
      await scheduler.start(before.jobs);
      // The store refuses the fire of 00:01:00: the tick puts it back and waits to retry.
      store.insertRuns = () => Promise.reject(new Error('the store refused the write'));
      clock.advance(30_000);
      await sleep(20);
      await scheduler.settled();
      assert.equal((await store.listRuns({ job: 'tick' })).runs.length, 0);
      // Meanwhile, before the retry, the job is changed (a new command, the same schedule).
      clock.advance(50);
      await scheduler.updateJobs(changed.jobs, []);
      store.insertRuns = insertRuns;
      clock.advance(1_000);
      await sleep(20);
      await scheduler.settled();
      const runs = (await store.listRuns({ job: 'tick' })).runs;
      assert.deepEqual(
        runs.map((run) => run.scheduledAt),
        [t0 + 30_000],
        'the fire of 00:01:00 is recorded, late, not dropped by the change',
      );
      clock.advance(minute);
      await sleep(20);
      await scheduler.settled();
      assert.equal((await store.listRuns({ job: 'tick' })).runs.length, 2, 'and the next one on time');
    } finally {
      store.insertRuns = insertRuns;
      await scheduler.release();
      await store.release();
    }
  });

  it('keeps the fire whose write fails while the job is changed: recorded once the store answers again', async () => {
    const store: Store = await harness.open();
    const clock = manualClock(t0);
    const before = configOf('version: 1\njobs:\n  tick: { schedule: every 1m, run: "echo a" }\n');
    const changed = configOf('version: 1\njobs:\n  tick: { schedule: every 1m, run: "echo b" }\n');
    const scheduler = new Scheduler({ store, clock, node: 'node-a', logger: silentLogger, lookAheadMs: 0 });
    const insertRuns = store.insertRuns.bind(store);
    try {
      await scheduler.start(before.jobs);
      // The tick's write of the fire of 00:01:00 hangs until the job has been changed, then fails.
      let writing!: () => void;
      const written = new Promise<void>((resolve) => (writing = resolve));
      let failWrite!: (error: Error) => void;
      store.insertRuns = () => {
        writing();
        return new Promise((_, reject) => (failWrite = reject));
      };
      clock.advance(30_000);
      await written;
      await scheduler.updateJobs(changed.jobs, []);
      failWrite(new Error('the store refused the write'));
      await scheduler.settled();
      assert.equal((await store.listRuns({ job: 'tick' })).runs.length, 0);
      store.insertRuns = insertRuns;
      clock.advance(1_000);
      await sleep(20);
      await scheduler.settled();
      const runs = (await store.listRuns({ job: 'tick' })).runs;
      assert.deepEqual(
        runs.map((run) => run.scheduledAt),
        [t0 + 30_000],
        'the fire of 00:01:00 is recorded, late, not dropped by the change',
      );
      clock.advance(minute);
      await sleep(20);
      await scheduler.settled();
      assert.equal((await store.listRuns({ job: 'tick' })).runs.length, 2, 'and the next one on time');
    } finally {
      store.insertRuns = insertRuns;
      await scheduler.release();
      await store.release();
    }
  });
});
