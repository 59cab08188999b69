/**
 * PostgreSQL only: what a dispatched run writes into the indexes of `runs`. Each change of
 * status is a non-HOT update, so a run enters every index whose predicate it meets once per
 * version of its row; indexes that only some runs need must keep the others out (migration 017).
 * Entries are counted with pageinspect on the index's one leaf page (the test's runs are few).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { NewRun, Store } from '../../src/store/index.ts';
import { loadPostgresMigrations } from '../../src/store/postgres/migrate.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

let harness: StoreHarness;
let store: Store;

before(async () => {
  harness = await createPostgresHarness();
  await harness.query(harness.url, 'CREATE EXTENSION IF NOT EXISTS pageinspect');
  store = await harness.open();
});

after(async () => {
  await store.release();
  await harness.close();
});

/** Index entries, dead or alive, of a one-page index (the metapage is block 0, the root leaf 1). */
async function entries(index: string): Promise<number> {
  const rows = await harness.query<{ items: number }>(
    harness.url,
    `SELECT CASE WHEN (bt_metap('${index}')).root = 0 THEN 0
                 ELSE (bt_page_stats('${index}', 1)).live_items + (bt_page_stats('${index}', 1)).dead_items
            END AS items`,
  );
  return Number(rows[0]?.items);
}

async function dispatch(runs: readonly NewRun[]): Promise<void> {
  const { inserted } = await store.insertRuns(runs);
  const claimed = await store.claimRuns({
    node: 'node-a',
    now: T0 + 10,
    limit: runs.length,
    leaseMs: 60_000,
  });
  assert.equal(claimed.length, inserted.length);
  for (const run of claimed) {
    assert.equal(
      await store.finishRun(run.id, 'node-a', {
        status: 'succeeded',
        finishedAt: T0 + 20,
        exitCode: 0,
        httpStatus: null,
        error: null,
        reason: null,
      }),
      true,
    );
  }
}

it('enters a run into the bucket indexes once, at its end, not at its insert and claim', async () => {
  await dispatch(
    [1, 2, 3].map((index) => ({ job: 'backup', trigger: 'api', scheduledAt: T0 + index, queuedAt: T0 })),
  );
  assert.equal(await entries('runs_scheduled'), 3);
  assert.equal(await entries('runs_job_scheduled'), 3);
  const counts = await store.countRunsByBucket({ from: T0, to: T0 + 60_000, bucketMs: 60_000 });
  assert.deepEqual(counts, [{ start: T0, status: 'succeeded', count: 3 }]);
});

it("enters a run into a job's indexes by id once, at its end (migration 024), and still lists it while it is pending and running", async () => {
  const before = { job: await entries('runs_job'), key: await entries('runs_job_key') };
  const { inserted } = await store.insertRuns(
    [1, 2].map((index) => ({ job: 'nightly', trigger: 'api', scheduledAt: T0 + index, queuedAt: T0 })),
  );
  assert.deepEqual({ job: await entries('runs_job'), key: await entries('runs_job_key') }, before);
  const listed = async () => (await store.listRuns({ job: 'nightly' })).runs.map((run) => run.status);
  assert.deepEqual(await listed(), ['pending', 'pending']);
  await store.claimRuns({ node: 'node-a', now: T0 + 10, limit: 1, leaseMs: 60_000, jobs: ['nightly'] });
  assert.deepEqual({ job: await entries('runs_job'), key: await entries('runs_job_key') }, before);
  assert.deepEqual(await listed(), ['pending', 'running']);
  await store.finishRun(inserted[0]!.id, 'node-a', { status: 'succeeded', finishedAt: T0 + 20 });
  assert.deepEqual(
    { job: await entries('runs_job'), key: await entries('runs_job_key') },
    { job: before.job + 1, key: before.key + 1 },
  );
  assert.deepEqual(await listed(), ['pending', 'succeeded']);
});

it('writes a run queued and taken in one call once: it never enters the claim index and has one entry in the others', async () => {
  const before = {
    claim: await entries('runs_claim'),
    active: await entries('runs_active'),
    pkey: await entries('runs_pkey'),
  };
  const { claimed } = await store.insertAndClaimRuns(
    [{ job: 'taken', trigger: 'api', scheduledAt: T0, queuedAt: T0 }],
    { node: 'node-a', now: T0 + 10, limit: 1, leaseMs: 60_000 },
  );
  assert.equal(claimed.length, 1);
  assert.deepEqual(
    {
      claim: await entries('runs_claim'),
      active: await entries('runs_active'),
      pkey: await entries('runs_pkey'),
    },
    { claim: before.claim, active: before.active + 1, pkey: before.pkey + 1 },
  );
});

it('writes a fire key once, into run_fire_keys, when its run is created; no index of runs holds it (migration 025)', async () => {
  const before = await entries('run_fire_keys_pkey');
  await dispatch(
    [4, 5].map((index) => ({ job: 'backup', trigger: 'api', scheduledAt: T0 + index, queuedAt: T0 })),
  );
  assert.equal(await entries('run_fire_keys_pkey'), before);
  const fired = {
    job: 'backup',
    trigger: 'schedule',
    scheduledAt: T0 + 6,
    queuedAt: T0,
    fireKey: 'backup@6',
  } as const;
  // Inserted, claimed and ended: one entry, where an index on runs took one per version of the row.
  await dispatch([fired]);
  assert.equal(await entries('run_fire_keys_pkey'), before + 1);
  const onRuns = await harness.query<{ name: string }>(
    harness.url,
    "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'runs' AND indexdef LIKE '%fire_key%'",
  );
  assert.deepEqual(onRuns, []);
  // A fire key given twice in one batch, and once more later: the first counts.
  const twice = { ...fired, scheduledAt: T0 + 7, fireKey: 'backup@7' };
  const first = await store.insertRuns([twice, { ...twice, priority: 5 }]);
  assert.deepEqual(
    first.inserted.map((run) => [run.fireKey, run.priority]),
    [['backup@7', 0]],
  );
  assert.equal(first.duplicates, 1);
  const again = await store.insertRuns([
    { job: 'backup', trigger: 'api', scheduledAt: T0, queuedAt: T0 },
    twice,
  ]);
  assert.equal(again.inserted.length, 1);
  assert.equal(again.inserted[0]?.fireKey, null);
  assert.equal(again.duplicates, 1);
  assert.equal(await entries('run_fire_keys_pkey'), before + 2);
});

it('keeps the fire keys of runs recorded before migration 025: such a fire is still recorded once', async () => {
  const url = await harness.createEmptyDatabase();
  for (const { version } of await loadPostgresMigrations()) {
    if (version < 25) await harness.reapplyMigration(url, version);
  }
  await harness.query(
    url,
    'INSERT INTO runs (job, "trigger", scheduled_at, run_after, queued_at, status, fire_key) VALUES ' +
      `('backup', 'schedule', ${T0}, ${T0}, ${T0}, 'succeeded', 'backup@before'), ` +
      `('backup', 'api', ${T0}, ${T0}, ${T0}, 'succeeded', NULL)`,
  );
  const upgraded = await harness.open(url);
  try {
    const fired = { job: 'backup', trigger: 'schedule', scheduledAt: T0, queuedAt: T0 } as const;
    const again = await upgraded.insertRuns([
      { ...fired, fireKey: 'backup@before' },
      { ...fired, fireKey: 'backup@after' },
    ]);
    assert.deepEqual(
      again.inserted.map((run) => run.fireKey),
      ['backup@after'],
    );
    assert.equal(again.duplicates, 1);
  } finally {
    await upgraded.release();
  }
});

it('keeps runs of jobs without a cooldown out of runs_last_start; a run with one enters it', async () => {
  const before = await entries('runs_last_start');
  await dispatch(
    [7, 8].map((index) => ({ job: 'backup', trigger: 'api', scheduledAt: T0 + index, queuedAt: T0 })),
  );
  assert.equal(await entries('runs_last_start'), before);
  await dispatch([
    { job: 'throttled', trigger: 'api', scheduledAt: T0 + 9, queuedAt: T0, cooldownMs: 60_000 },
  ]);
  assert.ok((await entries('runs_last_start')) > before);
  assert.deepEqual(await store.lastRunStarts([{ job: 'throttled', fanKey: '' }]), [
    { job: 'throttled', fanKey: '', startedAt: T0 + 9 },
  ]);
});
