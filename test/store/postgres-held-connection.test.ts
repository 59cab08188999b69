/**
 * PostgreSQL only: the insert and the claim each keep a connection of the pool for themselves
 * (`held-connection.ts`), so neither waits for the pool nor opens a connection; a held connection
 * that the server closes is replaced, and a pool too small to spare them holds none.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { NewRun } from '../../src/store/index.ts';
import { isStoreFault } from '../../src/store/health/store-fault.ts';
import { openPostgresBackend } from '../../src/store/postgres/index.ts';
import { HeldConnection } from '../../src/store/postgres/held-connection.ts';
import { toRunInsertValues } from '../../src/store/row-mapping.ts';
import type { StoreBackend } from '../../src/store/store-backend.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);
const lockKey = 4_242_061_299;

let harness: StoreHarness;
let backend: StoreBackend;
let admin: pg.Client;

before(async () => {
  harness = await createPostgresHarness();
  backend = openPostgresBackend(harness.url, { poolSize: 4 });
  admin = new pg.Client({ connectionString: harness.url });
  await admin.connect();
});

after(async () => {
  await admin.end();
  await backend.destroy();
  await harness.close();
});

async function queue(count: number, on = backend): Promise<void> {
  const runs = Array.from({ length: count }, (): NewRun => ({
    job: 'backup',
    trigger: 'api',
    scheduledAt: T0,
    queuedAt: T0,
  }));
  await on.insertRuns(runs.map((run, index) => ({ run, values: toRunInsertValues(run, index) })));
}

const claimOne = (on = backend) => on.claimRuns({ node: 'node-a', now: T0 + 10, limit: 1, leaseMs: 60_000 });

/** Runs `body` with a pool of `max` connections on the test database, ended afterwards. */
async function withPool(max: number, body: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const pool = new pg.Pool({ connectionString: harness.url, max });
  try {
    await body(pool);
  } finally {
    await pool.end();
  }
}

/** Sends `count` statements through the pool that wait for the advisory lock the admin holds. */
function blockPool(on: StoreBackend, count: number): Promise<unknown> {
  return Promise.all(
    Array.from({ length: count }, () =>
      on.db.executeQuery(CompiledQuery.raw('SELECT pg_advisory_xact_lock($1)', [lockKey])),
    ),
  );
}

/** Waits until the server shows `count` sessions of the database matching `where`. */
async function untilSessions(where: string, count: number): Promise<void> {
  for (;;) {
    const result = await admin.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${where}`,
    );
    if (result.rows[0]?.n === count) return;
    await sleep(10);
  }
}

it('queues and claims while every other connection of the pool is busy', { timeout: 20_000 }, async () => {
  await queue(2);
  assert.equal((await claimOne()).length, 1);
  // As many statements as the pool has connections: the two it has left wait for the lock on
  // the server, the other two requests wait in the pool, behind them.
  await admin.query('SELECT pg_advisory_lock($1)', [lockKey]);
  let blockedDone = false;
  const blocked = blockPool(backend, 4).finally(() => {
    blockedDone = true;
  });
  await untilSessions(`wait_event_type = 'Lock'`, 2);
  await queue(1);
  assert.equal((await claimOne()).length, 1);
  assert.equal((await claimOne()).length, 1);
  assert.equal(blockedDone, false);
  await admin.query('SELECT pg_advisory_unlock($1)', [lockKey]);
  await blocked;
});

it('holds no connection from a pool of fewer than 4', { timeout: 20_000 }, async () => {
  const small = openPostgresBackend(harness.url, { poolSize: 3 });
  try {
    await queue(1, small);
    assert.equal((await claimOne(small)).length, 1);
    await admin.query('SELECT pg_advisory_lock($1)', [lockKey]);
    const blocked = blockPool(small, 3);
    await untilSessions(`wait_event_type = 'Lock'`, 3);
    await admin.query('SELECT pg_advisory_unlock($1)', [lockKey]);
    await blocked;
  } finally {
    await small.destroy();
  }
});

it('replaces its connection when the server closes it', async () => {
  await queue(2);
  assert.equal((await claimOne()).length, 1);
  const killed = await admin.query<{ killed: boolean }>(
    `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
     WHERE datname = current_database() AND query LIKE '%WITH picked AS%' AND pid <> pg_backend_pid()`,
  );
  assert.deepEqual(
    killed.rows.map((row) => row.killed),
    [true],
  );
  await untilSessions(`query LIKE '%WITH picked AS%'`, 0);
  // The claim that finds the connection broken may fail as a store fault; the next one works.
  const first = await claimOne().then(
    (runs) => runs,
    (thrown: unknown) => thrown,
  );
  if (!Array.isArray(first)) assert.equal(isStoreFault(first), true, String(first));
  const claimed = Array.isArray(first) && first.length === 1 ? first : await claimOne();
  assert.equal(claimed.length, 1);
});

it('keeps settings of its own on its connection and closes it rather than share them', async () => {
  await withPool(1, async (pool) => {
    const held = new HeldConnection(pool, { setup: "SET work_mem = '7MB'" });
    const onHeld = await held.run(async (on, isHeld) => ({
      isHeld,
      ...(await on.query('SHOW work_mem')).rows[0],
    }));
    assert.deepEqual(onHeld, { isHeld: true, work_mem: '7MB' });
    held.release();
    // The pool's one connection is a new one, with the server's setting.
    const after = await pool.query<{ work_mem: string }>('SHOW work_mem');
    assert.notEqual(after.rows[0]?.work_mem, '7MB');
  });
});

it('sends a statement through the pool, saying so, while its connection is busy', async () => {
  await withPool(3, async (pool) => {
    const held = new HeldConnection(pool, { setup: "SET work_mem = '7MB'" });
    const seen: { isHeld: boolean; workMem: string }[] = [];
    const show = () =>
      held.run(async (on, isHeld) => {
        const result = await on.query<{ work_mem: string }>(
          'SELECT pg_sleep(0.05), current_setting($1) AS work_mem',
          ['work_mem'],
        );
        seen.push({ isHeld, workMem: result.rows[0]?.work_mem ?? '' });
      });
    await Promise.all([show(), show()]);
    assert.deepEqual(seen.map((entry) => entry.isHeld).sort(), [false, true]);
    for (const entry of seen) assert.equal(entry.workMem === '7MB', entry.isHeld);
    held.release();
  });
});

it('fails a statement whose connection cannot take its settings, and keeps no connection', async () => {
  await withPool(2, async (pool) => {
    const held = new HeldConnection(pool, { setup: 'SET no_such_setting = 1' });
    await assert.rejects(
      held.run((on) => on.query('SELECT 1')),
      /unrecognized configuration parameter "no_such_setting"/,
    );
    assert.equal(pool.totalCount, 0);
    held.release();
  });
});
