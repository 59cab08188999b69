/**
 * The dashboard benchmark's seeding (bench/dashboard/dashboard-store.ts) on a small scale, on both
 * stores: what it writes in bulk SQL reads back through the Control layer as the engine would
 * have written it (each job's runs and their statuses, a run's transitions and metrics, the
 * latest run of each job, the metric series per tenant).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  dashboardJobFile,
  dashboardJobName,
  dayMs,
  expectedDashboardRun,
  seedDashboardStore,
} from '../../bench/dashboard/dashboard-store.ts';
import type { DashboardScale, ExpectedRun } from '../../bench/dashboard/dashboard-store.ts';
import { readConfig } from '../../src/config/index.ts';
import { LocalControl, storeControlParts } from '../../src/control/index.ts';
import type { Actor } from '../../src/control/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { JsonValue, Store } from '../../src/store/index.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const scale: DashboardScale = { jobs: 20, runs: 5000, days: 30, now: Date.UTC(2026, 10, 30) };
const everyJob: Actor = { name: 'bench', jobs: [], mayAccess: () => true };
const expected: ExpectedRun[] = Array.from({ length: scale.runs }, (_, i) => expectedDashboardRun(scale, i));

function countsOf(runs: readonly ExpectedRun[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`the dashboard benchmark's seeded store on ${storeName}`, () => {
    let harness: StoreHarness;
    let store: Store;
    let control: LocalControl;
    before(async () => {
      harness = await createHarness();
      const url = await harness.createEmptyDatabase();
      await seedDashboardStore(url, scale);
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-dashboard-seed-'));
      const file = path.join(folder, 'cronplane.yaml');
      writeFileSync(file, dashboardJobFile(scale));
      const config = readConfig(file, { env: {}, kinds: builtinKinds });
      store = await harness.open(url);
      await store.syncJobs(
        config.jobs.map((job) => ({
          name: job.name,
          configHash: job.configHash,
          spec: { name: job.name } as JsonValue,
        })),
        scale.now,
      );
      control = new LocalControl(storeControlParts({ store, config, redact: (text) => text }), everyJob);
    });
    after(async () => {
      await store.release();
      await harness.close();
    });

    it('holds every run of every job, counted per status as the formulas say', async () => {
      assert.ok(new Set(expected.map((run) => run.status)).size >= 6, 'the seed mixes statuses');
      for (let j = 0; j < scale.jobs; j++) {
        const job = dashboardJobName(j);
        const stats = await control.getRunStats({
          job,
          from: scale.now - scale.days * dayMs - dayMs,
          to: scale.now,
          bucketMs: dayMs,
        });
        assert.deepEqual(stats.totals, countsOf(expected.filter((run) => run.job === job)), job);
      }
    });

    it("lists every job with its latest run, and pages a job's runs newest first", async () => {
      const page = await control.listJobs({ limit: 1000 });
      assert.equal(page.jobs.length, scale.jobs);
      for (const job of page.jobs) {
        const latest = expected.findLast((run) => run.job === job.name);
        assert.equal(job.lastRun?.id, latest?.id, job.name);
        assert.equal(job.lastRun?.status, latest?.status, job.name);
      }
      const runs = await control.listRuns({ job: 'job-0003', limit: 50 });
      assert.deepEqual(
        runs.runs.map((run) => run.id),
        expected
          .filter((run) => run.job === 'job-0003')
          .map((run) => run.id)
          .reverse()
          .slice(0, 50),
      );
    });

    it("gives a run's transitions, times and metrics as the engine writes them", async () => {
      const pick = (status: string, job?: string) =>
        expected.find((run) => run.status === status && (job === undefined || run.job === job));
      const cases = [
        [pick('succeeded', 'job-0001'), [null, 'pending', 'pending', 'running', 'running', 'succeeded']],
        [pick('failed'), [null, 'pending', 'pending', 'running', 'running', 'failed']],
        [pick('skipped'), [null, 'skipped']],
        [pick('cancelled'), [null, 'pending', 'pending', 'cancelled']],
        [pick('lost'), [null, 'pending', 'pending', 'running', 'running', 'lost']],
      ] as const;
      for (const [run, steps] of cases) {
        assert.ok(run !== undefined);
        const detail = await control.getRun(run.id);
        assert.equal(detail.run.job, run.job);
        assert.equal(detail.run.fanKey, run.fanKey);
        assert.equal(detail.run.status, run.status);
        assert.equal(detail.run.trigger, run.trigger);
        assert.deepEqual(
          [detail.run.scheduledAt, detail.run.startedAt, detail.run.finishedAt],
          [run.scheduledAt, run.startedAt, run.finishedAt].map((at) =>
            at === null ? null : new Date(at).toISOString(),
          ),
        );
        assert.deepEqual(
          detail.transitions.flatMap((transition) => [transition.from, transition.to]),
          steps,
          `run ${run.id} (${run.status})`,
        );
        assert.deepEqual(
          detail.transitions.map((transition) => transition.seq),
          steps.map((_, index) => index / 2 + 1).filter((seq) => Number.isInteger(seq)),
        );
        assert.deepEqual(detail.metrics, run.metrics, `run ${run.id}'s metrics`);
      }
      const fanned = pick('succeeded', 'job-0001');
      assert.ok(
        fanned !== undefined && Object.keys(fanned.metrics).length === 2,
        'a fanned job reports two rates',
      );
      const latency = pick('succeeded', 'job-0004');
      assert.ok(latency !== undefined && 'latency_ms' in latency.metrics, 'job-0004 reports a latency');
    });

    it("counts each tenant's metric values, and reads one tenant's series over the month", async () => {
      const metrics = await control.listJobMetrics('job-0001');
      const refusal = metrics.metrics.find((metric) => metric.name === 'refusal_rate');
      assert.ok(refusal !== undefined);
      for (const key of refusal.keys) {
        const values = expected.filter(
          (run) => run.job === 'job-0001' && run.fanKey === key.key && 'refusal_rate' in run.metrics,
        );
        assert.equal(key.points, values.length, key.key);
      }
      assert.equal(refusal.keys.length, 5);
      const history = await control.getMetricHistory('job-0001', 'refusal_rate', {
        key: 'tenant-2',
        from: scale.now - scale.days * dayMs - dayMs,
        to: scale.now + dayMs,
        points: 2000,
      });
      const values = expected.filter((run) => run.job === 'job-0001' && run.fanKey === 'tenant-2');
      assert.deepEqual(
        history.series[0]?.points.map((point) => point.last),
        values.flatMap((run) =>
          run.metrics['refusal_rate'] === undefined ? [] : [run.metrics['refusal_rate']],
        ),
      );
    });
  });
}
