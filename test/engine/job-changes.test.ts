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
import type { ManualClock } from '../../src/clock/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { Scheduler } from '../../src/engine/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());
beforeEach(() => harness.reset());

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1, 0, 0, 30);

/** What a test does between the scheduler's start and the store answering again. */
interface FireKeptCase {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly scheduler: Scheduler;
  /** The job as changed: a new command, the same schedule. */
  readonly changed: readonly ResolvedJob[];
}

/**
 * A scheduler on `tick` (every minute, from 00:00:30); `failAndChange` makes the store refuse the
 * fire of 00:01:00 and changes the job, and answers once the refusal has been seen. Then the store
 * answers again: the fire is recorded, late, once, and the next one on time.
 */
async function expectFireKept(failAndChange: (setup: FireKeptCase) => Promise<void>): Promise<void> {
  const store: Store = await harness.open();
  const clock = manualClock(t0);
  const before = configOf('version: 1\njobs:\n  tick: { schedule: every 1m, run: "echo a" }\n');
  const changed = configOf('version: 1\njobs:\n  tick: { schedule: every 1m, run: "echo b" }\n');
  const scheduler = new Scheduler({ store, clock, node: 'node-a', logger: silentLogger, lookAheadMs: 0 });
  const insertRuns = store.insertRuns.bind(store);
  try {
    await scheduler.start(before.jobs);
    await failAndChange({ store, clock, scheduler, changed: changed.jobs });
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
}

describe('a job changed while its fire is due', () => {
  it('keeps the fire the store failed to record: recorded once the store answers again', async () => {
    await expectFireKept(async ({ store, clock, scheduler, changed }) => {
      // The store refuses the fire of 00:01:00: the tick puts it back and waits to retry.
      store.insertRuns = () => Promise.reject(new Error('the store refused the write'));
      clock.advance(30_000);
      await sleep(20);
      await scheduler.settled();
      // Meanwhile, before the retry, the job is changed.
      clock.advance(50);
      await scheduler.updateJobs(changed, []);
    });
  });

  it('keeps the fire whose write fails while the job is changed: recorded once the store answers again', async () => {
    await expectFireKept(async ({ store, clock, scheduler, changed }) => {
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
      const update = scheduler.updateJobs(changed, []);
      await new Promise((resolve) => setImmediate(resolve));
      failWrite(new Error('the store refused the write'));
      await update;
      await scheduler.settled();
    });
  });
});
