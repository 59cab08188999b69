/**
 * PostgreSQL only: the claim's plan does not depend on the size `runs` had when it was planned.
 * The claim is a prepared statement; after five executions PostgreSQL may keep one generic plan
 * for the connection's life. The test plans it generically while the table is nearly empty (as
 * at a node's first claims) and checks that the update still looks each picked row up by its
 * tid instead of scanning the table, then that such a plan claims the right runs.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import type { Store } from '../../src/store/index.ts';
import { claimRunsStatement } from '../../src/store/postgres/claim-runs.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

let harness: StoreHarness;
let store: Store;

before(async () => {
  harness = await createPostgresHarness();
  store = await harness.open();
});

after(async () => {
  await store.release();
  await harness.close();
});

/** Runs `work` on one session of the test database with every plan generic. */
async function withGenericPlans<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: harness.url });
  await client.connect();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    return await work(client);
  } finally {
    await client.end();
  }
}

const claimInput = { node: 'node-a', now: T0 + 10, limit: 2, leaseMs: 60_000 };
const parameterTypes = '(bigint, integer, text, bigint, bigint)';
const parameters = `(${T0 + 10}, 2, 'node-a', ${T0 + 60_010}, ${T0 + 10})`;

it('looks the claimed rows up by tid in a generic plan made while runs was small', async () => {
  await store.insertRuns([{ job: 'backup', trigger: 'api', scheduledAt: T0, queuedAt: T0 }]);
  const plan = await withGenericPlans(async (client) => {
    await client.query(`PREPARE claim${parameterTypes} AS ${claimRunsStatement(claimInput).text}`);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE claim${parameters}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  const update = plan.slice(plan.indexOf('CTE claimed'), plan.indexOf('CTE transitions'));
  assert.match(update, /Tid Scan on runs/);
  assert.doesNotMatch(update, /Seq Scan on runs/);
});

it('claims the picked runs, in claim order, with a generic plan', async () => {
  await harness.reset();
  const { inserted } = await store.insertRuns(
    [0, 1, 2].map((index) => ({
      job: 'backup',
      trigger: 'api',
      scheduledAt: T0 + index,
      queuedAt: T0,
      priority: index === 2 ? 5 : 0,
    })),
  );
  const claimed = await withGenericPlans(async (client) => {
    await client.query(`PREPARE claim${parameterTypes} AS ${claimRunsStatement(claimInput).text}`);
    const { rows } = await client.query<{ id: string; status: string; node: string }>(
      `EXECUTE claim${parameters}`,
    );
    return rows.map((row) => ({ id: Number(row.id), status: row.status, node: row.node }));
  });
  const [first, second] = inserted;
  const third = inserted[2];
  assert.deepEqual(claimed, [
    { id: third?.id, status: 'running', node: 'node-a' },
    { id: first?.id, status: 'running', node: 'node-a' },
  ]);
  assert.equal((await store.getRun(second?.id ?? 0))?.status, 'pending');
  assert.deepEqual(
    (await store.listTransitions(third?.id ?? 0)).map((transition) => [transition.from, transition.to]),
    [
      [null, 'pending'],
      ['pending', 'running'],
    ],
  );
});
