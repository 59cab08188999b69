/**
 * PostgreSQL only: the claim (alone or with an insert) and the batched finish look their runs up by primary key even when
 * `runs` has never been analysed (a new store, or a server with autovacuum off). With PostgreSQL's
 * default `random_page_cost` the planner read every row of the table instead: for the finish from
 * a table of some thousands of runs, and for the claim in a generic plan made while the table was
 * small (kept for the connection's life). The store's sessions plan with 1.1 (postgres-dialect.ts).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CompiledQuery } from 'kysely';
import type { NewRun } from '../../src/store/index.ts';
import { claimStatement } from '../../src/store/postgres/claim-runs.ts';
import { finishRunsSql, finishSessionSetup } from '../../src/store/postgres/finish-runs.ts';
import { insertAndClaimStatement } from '../../src/store/postgres/insert-and-claim-runs.ts';
import { insertValues } from '../../src/store/postgres/insert-runs.ts';
import { toRunInsertValues } from '../../src/store/row-mapping.ts';
import { usePostgresBackend } from '../support/postgres-backend.ts';

const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

const rig = usePostgresBackend();

it('plans the claim on primary-key lookups in a generic plan made while runs was small', async () => {
  const run: NewRun = { job: 'backup', trigger: 'api', scheduledAt: T0, queuedAt: T0 };
  await rig.backend.insertRuns([{ run, values: toRunInsertValues(run, 0) }]);
  const input = { node: 'node-a', now: T0 + 10, limit: 2, leaseMs: 60_000 };
  // One session of the store's pool, so with its settings; every plan generic, as PostgreSQL
  // chooses after five executions of a prepared statement.
  const plan = await rig.backend.db.connection().execute(async (session) => {
    await session.executeQuery(CompiledQuery.raw('SET plan_cache_mode = force_generic_plan'));
    await session.executeQuery(
      CompiledQuery.raw(
        `PREPARE claim(bigint, integer, text, bigint, bigint) AS ${claimStatement(input).text}`,
      ),
    );
    const explained = await session.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`EXPLAIN EXECUTE claim(${T0 + 10}, 2, 'node-a', ${T0 + 60_010}, ${T0 + 10})`),
    );
    await session.executeQuery(CompiledQuery.raw('DEALLOCATE claim'));
    await session.executeQuery(CompiledQuery.raw('RESET plan_cache_mode'));
    return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  const update = plan.slice(plan.indexOf('CTE claimed'), plan.indexOf('CTE transitions'));
  assert.match(update, /runs_pkey/);
  assert.doesNotMatch(update, /Seq Scan on runs/);
});

it('plans the insert with a claim to move waiting runs on primary-key lookups in a generic plan', async () => {
  const run: NewRun = { job: 'backup', trigger: 'api', scheduledAt: T0, queuedAt: T0 };
  await rig.backend.insertRuns([{ run, values: toRunInsertValues(run, 0) }]);
  const input = { node: 'node-a', now: T0 + 10, limit: 2, leaseMs: 60_000 };
  const quoted = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);
  const values = [
    String(T0 + 10),
    '2',
    quoted('node-a'),
    String(T0 + 60_010),
    String(T0 + 10),
    ...insertValues([{ run, values: toRunInsertValues(run, 0) }]).map(quoted),
  ];
  const plan = await rig.backend.db.connection().execute(async (session) => {
    const raw = (text: string) => session.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(text));
    await raw('SET plan_cache_mode = force_generic_plan');
    await raw(`PREPARE insert_claim AS ${insertAndClaimStatement(input).text}`);
    const explained = await raw(`EXPLAIN EXECUTE insert_claim(${values.join(', ')})`);
    await raw('DEALLOCATE insert_claim');
    await raw('RESET plan_cache_mode');
    return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  const update = plan.slice(plan.indexOf('CTE claimed'), plan.indexOf('CTE transitions'));
  assert.match(update, /runs_pkey/);
  assert.doesNotMatch(update, /Seq Scan on runs/);
  const waiting = plan.slice(plan.indexOf('CTE waiting'), plan.indexOf('CTE taken'));
  assert.match(waiting, /runs_claim/, 'the waiting runs read from the claim index');
});

it('plans a batched finish on primary-key lookups in a large table without statistics', async () => {
  for (let batch = 0; batch < 20; batch++) {
    const runs: NewRun[] = Array.from({ length: 1000 }, () => ({
      job: 'backup',
      trigger: 'api',
      scheduledAt: T0,
      queuedAt: T0,
    }));
    await rig.backend.insertRuns(runs.map((run, index) => ({ run, values: toRunInsertValues(run, index) })));
  }
  const analysed = await rig.backend.db.executeQuery<{ analysed: boolean }>(
    CompiledQuery.raw("SELECT reltuples >= 0 AS analysed FROM pg_class WHERE relname = 'runs'"),
  );
  assert.equal(analysed.rows[0]?.analysed, false);
  const claimed = await rig.backend.claimRuns({ node: 'node-a', now: T0 + 10, limit: 256, leaseMs: 60_000 });
  assert.equal(claimed.length, 256);
  const ids = claimed.map((run) => run.id).sort((a, b) => a - b);
  const plan = await rig.backend.db.executeQuery<{ 'QUERY PLAN': string }>(
    CompiledQuery.raw(`EXPLAIN ${finishRunsSql}`, [
      ids,
      ids.map(() => 'node-a'),
      ids.map(() => 'succeeded'),
      ids.map(() => T0 + 20),
      ids.map(() => 0),
      ids.map(() => null),
      ids.map(() => null),
      ids.map(() => null),
      ids.map(() => null),
    ]),
  );
  const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
  assert.doesNotMatch(text, /Seq Scan on runs/);
  assert.match(text, /runs_pkey/);
  const finished = await rig.backend.finishRuns(
    ids.map((runId) => ({
      runId,
      node: 'node-a',
      status: 'succeeded',
      finishedAt: T0 + 20,
      exitCode: 0,
      httpStatus: null,
      error: null,
      reason: null,
      startedAt: null,
    })),
  );
  assert.deepEqual(
    finished,
    ids.map(() => true),
  );
});

it('keeps the prepared finish on primary-key lookups after runs was analysed small and grew', async () => {
  const queue = async (count: number) => {
    const runs: NewRun[] = Array.from({ length: count }, () => ({
      job: 'backup',
      trigger: 'api',
      scheduledAt: T0,
      queuedAt: T0,
    }));
    await rig.backend.insertRuns(runs.map((run, index) => ({ run, values: toRunInsertValues(run, index) })));
  };
  await queue(10);
  await rig.backend.db.executeQuery(CompiledQuery.raw('ANALYZE runs'));
  const types = 'bigint[], text[], text[], bigint[], integer[], integer[], text[], text[], bigint[]';
  const execute = (ids: readonly number[]) => {
    const list = (value: string) => `'{${ids.map(() => value).join(',')}}'`;
    return `EXECUTE finish('{${ids.join(',')}}', ${list('node-a')}, ${list('succeeded')}, ${list(String(T0 + 20))}, ${list('0')}, ${list('NULL')}, ${list('NULL')}, ${list('NULL')}, ${list('NULL')})`;
  };
  // One session of the pool with the finish's own settings, its plan generic from the first
  // execution (as PostgreSQL may choose after five), made while runs holds 10 analysed rows.
  const plan = await rig.backend.db.connection().execute(async (session) => {
    const raw = (text: string) => session.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(text));
    await raw(finishSessionSetup);
    await raw('SET plan_cache_mode = force_generic_plan');
    await raw(`PREPARE finish(${types}) AS ${finishRunsSql}`);
    await raw(execute([1, 2]));
    await queue(20_000);
    const explained = await raw(`EXPLAIN ${execute(Array.from({ length: 256 }, (_, i) => 1000 + i))}`);
    await raw('DEALLOCATE finish');
    await raw('RESET ALL');
    return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  assert.doesNotMatch(plan, /Seq Scan on runs/);
  assert.match(plan, /runs_pkey/);
});
