/**
 * `retention:` applied by the daemon: the leader removes old history an hour at a time, in
 * batches, on SQLite and PostgreSQL, with a manual clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import { HistoryPruner } from '../../src/daemon/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { Store } from '../../src/store/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const T0 = Date.UTC(2026, 4, 1, 0, 0, 0);
const hour = 3_600_000;
const day = 24 * hour;
const silent = createLogger({ level: 'silent' });

function retentionOf(yaml: string) {
  return resolveConfig(loadJobFileText(`version: 1\n${yaml}`, 'cronplane.yaml', { kinds: builtinKinds }))
    .retention;
}

/** `count` runs of `backup` that finished at `at`, with a line of output each. */
async function finished(store: Store, count: number, at: number): Promise<number[]> {
  const { inserted } = await store.insertRuns(
    Array.from({ length: count }, () => ({
      job: 'backup',
      trigger: 'api' as const,
      scheduledAt: at,
      queuedAt: at,
    })),
  );
  await store.claimRuns({ node: 'n', now: at, limit: count, leaseMs: hour, jobs: ['backup'] });
  for (const run of inserted) {
    await store.appendLog(run.id, { stream: 'stdout', chunk: 'done\n', at });
    await store.finishRun(run.id, 'n', { status: 'succeeded', finishedAt: at });
  }
  return inserted.map((run) => run.id);
}

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`retention on ${storeName}`, () => {
    let harness: StoreHarness;
    before(async () => {
      harness = await createHarness();
    });
    after(async () => {
      await harness.close();
    });

    it('reads retention from the job file, and refuses a window that is not a duration, naming it', () => {
      assert.deepEqual(retentionOf('retention: { runs: 90d, logs: 14d, pings: 30d }\n'), {
        runsMs: 90 * day,
        logsMs: 14 * day,
        pingsMs: 30 * day,
      });
      assert.deepEqual(retentionOf('jobs: {}\n'), {});
      assert.throws(() => retentionOf('retention: { runs: forever }\n'), /retention\.runs/);
      assert.throws(() => retentionOf('retention: { events: 30d }\n'), /retention/);
    });

    it('removes what is older than each window in batches, an hour after the first pass, on the leader only', async () => {
      await harness.reset();
      const store = await harness.open();
      try {
        const old = await finished(store, 5, T0);
        const middle = await finished(store, 2, T0 + 20 * day);
        const recent = await finished(store, 1, T0 + 29 * day);
        const clock = manualClock(T0 + 30 * day);
        let leading = false;
        const pruner = new HistoryPruner({
          store,
          clock,
          logger: silent,
          isLeader: () => leading,
          batch: 2,
          firstAfterMs: 1000,
        });
        pruner.start(retentionOf('retention: { runs: 25d, logs: 5d }\n'));
        try {
          assert.deepEqual(
            await pruner.prune(),
            { runs: 0, logs: 0, pings: 0 },
            'a follower removes nothing',
          );
          leading = true;
          assert.deepEqual(await pruner.prune(), { runs: 5, logs: 2, pings: 0 });
          for (const id of old) assert.equal(await store.getRun(id), undefined);
          for (const id of middle) {
            const run = await store.getRunOrThrow(id);
            assert.equal(run.logTruncated, true);
            assert.deepEqual(await store.readLogs(id), []);
          }
          for (const id of recent) assert.equal((await store.readLogs(id)).length, 1);

          // The timer: first pass a second after start, then every hour.
          const late = await finished(store, 1, T0 + 4 * day);
          clock.advance(1000);
          await waitFor('the first timed pass', async () => (await store.getRun(late[0] ?? 0)) === undefined);
          const later = await finished(store, 1, T0 + 4 * day);
          clock.advance(hour - 1);
          assert.notEqual(await store.getRun(later[0] ?? 0), undefined, 'not before the hour');
          clock.advance(1);
          await waitFor('the hourly pass', async () => (await store.getRun(later[0] ?? 0)) === undefined);
        } finally {
          await pruner.release();
        }
      } finally {
        await store.release();
      }
    });

    it('keeps everything when the job file sets no retention', async () => {
      await harness.reset();
      const store = await harness.open();
      try {
        const ids = await finished(store, 2, T0);
        const pruner = new HistoryPruner({
          store,
          clock: manualClock(T0 + 1000 * day),
          logger: silent,
          isLeader: () => true,
        });
        assert.deepEqual(await pruner.prune(), { runs: 0, logs: 0, pings: 0 });
        for (const id of ids) assert.notEqual(await store.getRun(id), undefined);
      } finally {
        await store.release();
      }
    });
  });
}
