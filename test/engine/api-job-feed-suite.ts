/**
 * How a node follows the API jobs written on other nodes: the `jobs_changed` signal brings a
 * change at once; the poll, a fallback for lost signals, reads the versions table only when the
 * store's missed-signal mark moved (SQLite: another process wrote; PostgreSQL: the listening
 * connection was lost), an id is awaited, or the read interval passed. A real store on a manual
 * clock; the store's reads of the versions table are counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { ApiJobFeed } from '../../src/engine/api-job-feed.ts';
import type { Store } from '../../src/store/index.ts';
import { jobsChangedSignal } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const template: ResolvedJob = configOf('version: 1\njobs:\n  noop: { run: "true" }\n').jobs[0] as ResolvedJob;

interface Followed {
  readonly feed: ApiJobFeed;
  readonly clock: ReturnType<typeof manualClock>;
  /** Names applied, in order. */
  readonly applied: string[];
  /** Reads of the versions table. */
  reads(): number;
}

async function follow(real: Store): Promise<Followed> {
  let reads = 0;
  const store: Store = {
    ...real,
    readApiJobChanges: (query) => {
      reads++;
      return real.readApiJobChanges(query);
    },
  };
  const clock = manualClock(t0);
  const applied: string[] = [];
  const feed = new ApiJobFeed({
    store,
    clock,
    logger: silentLogger,
    resolve: (name) => ({ ...template, name }),
    apply: async (upserts) => {
      for (const entry of upserts) applied.push(entry.job.name);
    },
    pollMs: 500,
    readMs: 5000,
  });
  await feed.load();
  await feed.start();
  return { feed, clock, applied, reads: () => reads };
}

/** Moves the clock one poll at a time, letting each poll's reads finish. */
async function polls(followed: Followed, count: number): Promise<void> {
  for (let poll = 0; poll < count; poll++) {
    followed.clock.advance(500);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    await followed.feed.settled();
  }
}

const put = (store: Store, name: string) =>
  store.putApiJobs([{ name, entry: { schedule: '@hourly', run: 'true' }, at: t0, actor: 'test' }]);

export function defineApiJobFeedSuite(storeName: string, harness: () => StoreHarness): void {
  /** An emptied store, a follower on one handle and a writer on another, all released after `body`. */
  async function withFeed(
    body: (followed: Followed, real: Store, writer: Store) => Promise<void>,
  ): Promise<void> {
    await harness().reset();
    const real = await harness().open();
    const writer = await harness().open();
    const followed = await follow(real);
    try {
      await body(followed, real, writer);
    } finally {
      await followed.feed.release();
      await writer.release();
      await real.release();
    }
  }

  describe(`following API jobs on ${storeName}`, () => {
    it('an idle node reads the versions table once per read interval, not at every poll', () =>
      withFeed(async (followed) => {
        // The first poll reads (nothing vouched for yet); the next nine within 5 s do not.
        await polls(followed, 10);
        assert.equal(followed.reads(), 1);
        // The read interval passed: read anyway.
        await polls(followed, 1);
        assert.equal(followed.reads(), 2);
      }));

    it('a change that comes with its signal is applied at once, without waiting for a poll', () =>
      withFeed(async (followed, _real, writer) => {
        await polls(followed, 1);
        await put(writer, 'signalled');
        await writer.signal(jobsChangedSignal);
        await waitFor('the change applied', () => followed.applied.includes('signalled'));
      }));

    it(
      harness().dialect === 'sqlite'
        ? 'a change another connection wrote without a signal is read at the next poll (the mark moved)'
        : 'a change written without a signal is read within the read interval, and after a lost listening connection at the next poll',
      () =>
        withFeed(async (followed, real, writer) => {
          await polls(followed, 1);
          await put(writer, 'unsignalled');
          if (harness().dialect === 'sqlite') {
            await polls(followed, 1);
            assert.deepEqual(followed.applied, ['unsignalled']);
            return;
          }
          await polls(followed, 3);
          assert.deepEqual(followed.applied, [], 'no signal, the mark unchanged: not read yet');
          await polls(followed, 7);
          assert.deepEqual(followed.applied, ['unsignalled'], 'read at the read interval');
          // The listening connection is lost: signals sent meanwhile are missed, the next poll reads.
          await put(writer, 'while-away');
          const before = await real.readMissedSignalMark();
          await harness().query(
            harness().url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cronplane-signals' AND datname = current_database()",
          );
          await waitFor('the loss noticed', async () => (await real.readMissedSignalMark()) !== before);
          await polls(followed, 1);
          assert.deepEqual(followed.applied, ['unsignalled', 'while-away']);
        }),
    );
  });
}
