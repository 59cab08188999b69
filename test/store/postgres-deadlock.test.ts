/**
 * PostgreSQL only: a batched finish whose row locks cross another statement's is rolled back by
 * the server to break the deadlock, and the store sends it again instead of losing the outcome.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import type { Store } from '../../src/store/index.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

let harness: StoreHarness;
let store: Store;

before(async () => {
  harness = await createPostgresHarness();
  // The store's sessions look for deadlocks after 3 s (the server's default is 1 s), so the test
  // surely sees the lock cycle before the server breaks it.
  const database = new URL(harness.url).pathname.slice(1);
  await harness.query(harness.url, `ALTER DATABASE ${database} SET deadlock_timeout = '3s'`);
  store = await harness.open();
});

after(async () => {
  await store.release();
  await harness.close();
});

/**
 * Resolves once a statement of the store's pool waits for a row lock. Asked outside the other
 * session's transaction: inside it, `pg_stat_activity` is read once and kept until it ends, so a
 * finish that reached the lock after the first look was never seen.
 */
async function untilStoreWaitsForALock(): Promise<void> {
  for (;;) {
    const waiting = await harness.query(
      harness.url,
      "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cronplane' AND wait_event_type = 'Lock'",
    );
    if (waiting.length !== 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** True once the session `pid` waits for a lock held by another; false if `settled` first. */
async function isBlocked(pid: number, settled: () => boolean): Promise<boolean> {
  while (!settled()) {
    const rows = await harness.query<{ blocked: boolean }>(
      harness.url,
      `SELECT cardinality(pg_blocking_pids(${pid})) > 0 AS blocked`,
    );
    if (rows[0]?.blocked === true) return true;
  }
  return false;
}

it('records a batch of finishes that the server cancelled to break a deadlock', async () => {
  const { inserted } = await store.insertRuns(
    [1, 2].map((index) => ({
      job: 'backup',
      trigger: 'api' as const,
      scheduledAt: T0 + index,
      queuedAt: T0,
    })),
  );
  const [first, second] = inserted.map((run) => run.id) as [number, number];
  await store.claimRuns({ node: 'node-a', now: T0 + 10, limit: 2, leaseMs: 60_000 });

  // Another session holds the second run and, once the finish holds the first, asks for it: a
  // lock cycle. This session waits long before looking for deadlocks, so the server cancels
  // the finish's statement, which looks after one second.
  const other = new pg.Client({ connectionString: harness.url });
  await other.connect();
  try {
    await other.query("SET deadlock_timeout = '60s'");
    await other.query('BEGIN');
    await other.query('UPDATE runs SET lease_expires_at = lease_expires_at WHERE id = $1', [second]);
    const outcome = {
      status: 'succeeded' as const,
      finishedAt: T0 + 20,
      exitCode: 0,
      httpStatus: null,
      error: null,
      reason: null,
    };
    const finishes = Promise.all([first, second].map((id) => store.finishRun(id, 'node-a', outcome)));
    await untilStoreWaitsForALock();
    const pid = ((await other.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
    let settled = false;
    const crossing = other
      .query('UPDATE runs SET lease_expires_at = lease_expires_at WHERE id = $1', [first])
      .finally(() => (settled = true));
    assert.equal(await isBlocked(pid, () => settled), true, 'the two sessions wait for each other');
    await crossing;
    await other.query('COMMIT');
    assert.deepEqual(await finishes, [true, true]);
  } finally {
    await other.end();
  }
  for (const id of [first, second]) {
    assert.equal((await store.getRunOrThrow(id)).status, 'succeeded');
    assert.deepEqual(
      (await store.listTransitions(id)).map((transition) => transition.to),
      ['pending', 'running', 'succeeded'],
    );
  }
});
