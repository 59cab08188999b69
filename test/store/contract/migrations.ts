/** Migrations: applied once, recorded, idempotent, safe when migrators race. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EventSeverity, MonitorStatus, PingKind, RunStatus, RunTrigger } from '../../../src/store/index.ts';
import type { StoreDialect } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun } from './context.ts';

const tables = [
  'jobs',
  'runs',
  'run_transitions',
  'run_logs',
  'run_metrics',
  'events',
  'monitors',
  'monitor_pings',
  'schedule_state',
  'leases',
  'nodes',
  'api_tokens',
  'audit_log',
  'api_jobs',
  'api_job_versions',
  'cp_migrations',
];

/** The migration files both dialects have, oldest first, as `migrate` reports them. */
const sharedMigrations = [
  { version: 1, name: 'initial' },
  { version: 2, name: 'api' },
  { version: 3, name: 'status_index' },
  { version: 4, name: 'monitoring' },
  { version: 5, name: 'monitor_pause' },
  { version: 6, name: 'secret_params' },
  { version: 7, name: 'nodes' },
  { version: 8, name: 'paused_jobs_index' },
  { version: 9, name: 'held_status' },
  { version: 10, name: 'history_indexes' },
  { version: 11, name: 'overview' },
  { version: 16, name: 'api_jobs' },
  { version: 19, name: 'run_starts' },
  { version: 23, name: 'lease_holding' },
  { version: 26, name: 'paused_jobs_partial_index' },
];

/** Every migration file of a dialect, oldest first: a change that one dialect needs is its alone. */
const migrationsOf = {
  sqlite: [...sharedMigrations, { version: 13, name: 'ended_run_buckets' }].sort(
    (a, b) => a.version - b.version,
  ),
  postgres: [
    ...sharedMigrations,
    { version: 17, name: 'lean_run_indexes' },
    { version: 24, name: 'ended_run_job_indexes' },
    { version: 25, name: 'fire_key_table' },
  ].sort((a, b) => a.version - b.version),
} as const satisfies Record<StoreDialect, readonly { version: number; name: string }[]>;

export function defineMigrationTests(context: ContractContext): void {
  const allMigrations = (): readonly { version: number; name: string }[] =>
    migrationsOf[context.harness.dialect];
  it('applies every migration once on an empty database and records each', async () => {
    const { harness } = context;
    const url = await harness.createEmptyDatabase();
    const store = await harness.open(url, { migrate: false });
    try {
      const first = await store.migrate(T0);
      assert.deepEqual(first.applied, allMigrations());
      assert.deepEqual(
        await store.listMigrations(),
        allMigrations().map((migration) => ({ ...migration, appliedAt: T0 })),
      );
      for (const table of tables) {
        const rows = await harness.query<{ n: number }>(url, `SELECT count(*) AS n FROM ${table}`);
        assert.equal(Number(rows[0]?.n), table === 'cp_migrations' ? allMigrations().length : 0, table);
      }
    } finally {
      await store.release();
    }
  });

  it('treats a second migrate as a no-op', async () => {
    const { store } = context;
    const before = await store.listMigrations();
    assert.deepEqual((await store.migrate(T0 + 1)).applied, []);
    assert.deepEqual(await store.listMigrations(), before);
  });

  it('applies each migration exactly once when three migrators race on one database', async () => {
    const { harness } = context;
    const url = await harness.createEmptyDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => harness.open(url, { migrate: false })));
    try {
      const results = await Promise.all(stores.map((store) => store.migrate(T0)));
      assert.deepEqual(
        results.flatMap((result) => result.applied).sort((a, b) => a.version - b.version),
        allMigrations(),
      );
      const recorded = await harness.query<{ version: number }>(
        url,
        'SELECT version FROM cp_migrations ORDER BY version',
      );
      assert.deepEqual(
        recorded.map((row) => Number(row.version)),
        allMigrations().map((migration) => migration.version),
      );
      const { inserted } = await stores[2]!.insertRuns([newRun()]);
      assert.equal(inserted.length, 1);
    } finally {
      await Promise.all(stores.map((store) => store.release()));
    }
  });

  it('fails a migrator that finds its version already recorded, cleanly and changing nothing', async () => {
    const { harness, store } = context;
    await store.insertRuns([newRun()]);
    await assert.rejects(harness.reapplyMigration(harness.url, 1), { code: 'store.migration_conflict' });
    assert.equal((await store.listMigrations()).length, allMigrations().length);
    assert.equal((await store.listRuns()).runs.length, 1, 'the schema and its data are untouched');
  });

  it('lets the schema accept exactly the statuses and triggers the code knows', async () => {
    const { harness, store } = context;
    for (const trigger of Object.keys(RunTrigger)) {
      const { inserted } = await store.insertRuns([newRun({ trigger: trigger as RunTrigger })]);
      assert.equal(inserted[0]?.trigger, trigger);
    }
    const [run] = (await store.listRuns({ limit: 1 })).runs;
    assert.ok(run !== undefined);
    for (const status of Object.keys(RunStatus)) {
      await harness.query(harness.url, `UPDATE runs SET status = '${status}' WHERE id = ${run.id}`);
      assert.equal((await store.getRunOrThrow(run.id)).status, status);
    }
    await assert.rejects(
      harness.query(harness.url, `UPDATE runs SET status = 'paused' WHERE id = ${run.id}`),
    );
    await assert.rejects(
      harness.query(harness.url, `UPDATE runs SET "trigger" = 'cron' WHERE id = ${run.id}`),
    );
  });

  it('keeps the events recorded before migration 4, which then accepts failure events', async () => {
    const { harness } = context;
    const url = await harness.createEmptyDatabase();
    for (const version of [1, 2, 3]) await harness.reapplyMigration(url, version);
    const columns = 'kind, job, severity, dedup_key, first_seen, last_seen, count, resolved_at, details_json';
    await harness.query(
      url,
      `INSERT INTO events (${columns}) VALUES ` +
        `('schedule:missed', 'backup', 'warning', 'missed:backup', ${T0}, ${T0 + 1}, 2, ${T0 + 2}, '{"fires":2}'), ` +
        `('run:lost', 'backup', 'critical', 'lost:1', ${T0}, ${T0}, 1, NULL, 'null'), ` +
        `('run:lost', 'backup', 'critical', 'lost:2', ${T0}, ${T0}, 1, NULL, 'null')`,
    );
    await harness.query(url, `DELETE FROM events WHERE dedup_key = 'lost:2'`);
    const store = await harness.open(url);
    try {
      assert.deepEqual(
        (await store.listMigrations()).map((migration) => migration.version),
        allMigrations().map((migration) => migration.version),
      );
      assert.deepEqual((await store.listEvents()).events, [
        {
          id: 2,
          kind: 'run:lost',
          dedupKey: 'lost:1',
          severity: 'critical',
          job: 'backup',
          runId: null,
          firstSeen: T0,
          lastSeen: T0,
          count: 1,
          resolvedAt: null,
          notifiedAt: null,
          details: null,
        },
        {
          id: 1,
          kind: 'schedule:missed',
          dedupKey: 'missed:backup',
          severity: 'warning',
          job: 'backup',
          runId: null,
          firstSeen: T0,
          lastSeen: T0 + 1,
          count: 2,
          resolvedAt: T0 + 2,
          notifiedAt: null,
          details: { fires: 2 },
        },
      ]);
      const failure = await store.recordEvent({
        kind: 'run:failed',
        dedupKey: 'failed:backup',
        severity: 'failure',
        at: T0,
      });
      assert.equal(failure.id, 4, 'ids go on after the last one given, deleted or not');
      const repeat = await store.recordEvent({
        kind: 'run:lost',
        dedupKey: 'lost:1',
        severity: 'critical',
        at: T0 + 5,
      });
      assert.deepEqual([repeat.id, repeat.count], [2, 2], 'one open row per dedup key still holds');
      assert.deepEqual(await store.countOpenEvents(), { critical: 1, failure: 1 });
    } finally {
      await store.release();
    }
  });

  it('turns the queue items held back by the old run_after sentinel into held runs at migration 9', async () => {
    const { harness } = context;
    const url = await harness.createEmptyDatabase();
    for (const version of [1, 2, 3, 4, 5, 6, 7, 8]) await harness.reapplyMigration(url, version);
    const sentinel = 9007199254740991;
    const columns = 'job, "trigger", scheduled_at, run_after, queued_at, status, rate_key, secret_params';
    await harness.query(
      url,
      `INSERT INTO runs (${columns}) VALUES ` +
        `('q', 'api', ${T0}, ${sentinel}, ${T0 + 1}, 'pending', 'org-a', '{"token":"s3cret"}'), ` +
        `('q', 'api', ${T0}, ${T0}, ${T0}, 'pending', 'org-b', NULL), ` +
        `('q', 'api', ${T0}, ${T0}, ${T0}, 'pending', NULL, NULL)`,
    );
    await harness.query(
      url,
      'INSERT INTO run_transitions (run_id, seq, at, from_status, to_status) ' +
        'SELECT id, 1, queued_at, NULL, status FROM runs',
    );
    await harness.query(
      url,
      `INSERT INTO run_logs (run_id, seq, at, stream, chunk) VALUES (2, 1, ${T0}, 'stdout', 'hello')`,
    );
    await harness.query(url, 'DELETE FROM runs WHERE id = 3');
    await harness.query(url, 'DELETE FROM run_transitions WHERE run_id = 3');
    const store = await harness.open(url);
    try {
      const item = await store.getRunOrThrow(1);
      assert.deepEqual(
        [item.status, item.runAfter, item.rateKey, item.statusSeq],
        ['held', T0 + 1, 'org-a', 1],
        'held, its run_after the time it was queued',
      );
      assert.deepEqual(
        item.secretParams?.reveal(),
        { token: 's3cret' },
        'a held run keeps its secret values',
      );
      assert.deepEqual(
        (await store.listTransitions(1)).map((row) => [row.seq, row.from, row.to]),
        [[1, null, 'held']],
        'its journal says it was created held',
      );
      const due = await store.getRunOrThrow(2);
      assert.deepEqual([due.status, due.runAfter], ['pending', T0], 'a due pending run is left as it was');
      assert.deepEqual(
        (await store.readLogs(2)).map((chunk) => chunk.chunk),
        ['hello'],
        'the output of runs is kept',
      );
      assert.deepEqual(
        (await store.listHeldRuns({ job: 'q' })).map((run) => run.id),
        [1],
      );
      assert.deepEqual(await store.releaseHeldRuns([1], { at: T0 + 2, node: 'n1' }), [1]);
      assert.equal((await store.getRunOrThrow(1)).secretParams?.reveal().token, 's3cret');
      const { inserted } = await store.insertRuns([newRun({ job: 'q' })]);
      assert.equal(inserted[0]?.id, 4, 'ids go on after the last one given, removed or not');
    } finally {
      await store.release();
    }
  });

  it('lets the schema accept exactly the severities, monitor statuses and ping kinds the code knows', async () => {
    const { harness, store } = context;
    for (const severity of Object.keys(EventSeverity)) {
      const recorded = await store.recordEvent({
        kind: 'test',
        dedupKey: `test:${severity}`,
        severity: severity as EventSeverity,
        at: T0,
      });
      assert.equal(recorded.severity, severity);
    }
    await assert.rejects(harness.query(harness.url, `UPDATE events SET severity = 'fatal'`));
    await store.syncMonitors(['backup'], T0);
    const { pingId } = (await store.getMonitor('backup'))!;
    const { ping } = (await store.recordPing({ pingId, kind: 'start', at: T0 }))!;
    for (const status of Object.keys(MonitorStatus)) {
      await harness.query(harness.url, `UPDATE monitors SET status = '${status}' WHERE name = 'backup'`);
      assert.equal((await store.getMonitor('backup'))?.status, status);
    }
    for (const kind of Object.keys(PingKind)) {
      await harness.query(harness.url, `UPDATE monitor_pings SET kind = '${kind}' WHERE id = ${ping.id}`);
      assert.equal((await store.listPings({ monitor: 'backup' })).pings[0]?.kind, kind);
    }
    await assert.rejects(harness.query(harness.url, `UPDATE monitors SET status = 'late'`));
    await assert.rejects(harness.query(harness.url, `UPDATE monitor_pings SET kind = 'log'`));
  });

  it('gives monitors of before migration 5 an unpaused state, and holds paused and paused_at together', async () => {
    const { harness } = context;
    const url = await harness.createEmptyDatabase();
    for (const version of [1, 2, 3, 4]) await harness.reapplyMigration(url, version);
    await harness.query(
      url,
      `INSERT INTO monitors (name, ping_id, status, last_ping_at, last_success_at, status_changed_at, created_at) ` +
        `VALUES ('backup', '${'a'.repeat(32)}', 'up', ${T0}, ${T0}, ${T0}, ${T0})`,
    );
    const store = await harness.open(url);
    try {
      const monitor = await store.getMonitor('backup');
      assert.deepEqual(
        [monitor?.status, monitor?.lastSuccessAt, monitor?.paused, monitor?.pausedAt, monitor?.resumedAt],
        ['up', T0, false, null, null],
      );
      assert.equal((await store.setMonitorPaused('backup', true, T0 + 1))?.changed, true);
      // The flag and its time go together: one without the other is refused by the schema.
      await assert.rejects(harness.query(url, `UPDATE monitors SET paused_at = NULL`));
      await assert.rejects(
        harness.query(url, `UPDATE monitors SET paused = ${harness.dialect === 'sqlite' ? 0 : 'FALSE'}`),
      );
      await assert.rejects(harness.query(url, `UPDATE monitors SET paused = 2`));
      assert.deepEqual(
        [(await store.getMonitor('backup'))?.paused, (await store.getMonitor('backup'))?.pausedAt],
        [true, T0 + 1],
      );
    } finally {
      await store.release();
    }
  });
}
