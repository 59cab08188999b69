/**
 * The history operations of the Control contract (what the dashboard's charts read): a job's
 * metrics, one metric over a range with its guards and their events, and run counts per status
 * per time bucket, answered alike by each set-up on each store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Store } from '../../src/store/index.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { startRig } from './control-rig.ts';
import type { ControlRig, RigKind } from './control-rig.ts';
import { refused } from './assert-refused.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** The reference time the scenes are set around. */
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

/** A run of `fanned` for `key` that reported `values` at `at`. */
async function reported(
  store: Store,
  key: string,
  values: Record<string, number>,
  at: number,
): Promise<number> {
  const { inserted } = await store.insertRuns([
    { job: 'fanned', fanKey: key, trigger: 'manual', scheduledAt: at, queuedAt: at, runAfter: at },
  ]);
  const id = inserted[0]?.id as number;
  await store.recordMetrics(id, values, at);
  return id;
}

export function defineHistorySuite(kind: RigKind, storeName: string, harness: () => StoreHarness): void {
  describe(`Control history (${kind}) on ${storeName}`, () => {
    let rig: ControlRig;
    beforeEach(async () => {
      rig = await startRig(kind, harness());
    });
    afterEach(async () => {
      await rig.release();
    });

    describe('metrics', () => {
      it("lists a job's metrics per fan-out key with the guards on each, guarded ones before any value", async () => {
        assert.deepEqual(await rig.control().listJobMetrics('fanned'), {
          job: 'fanned',
          metrics: [{ name: 'agreement_rate', guards: ['agreement_low', 'agreement_drop'], keys: [] }],
        });
        await reported(rig.store, 'eu', { agreement_rate: 0.9, rows: 10 }, T0);
        await reported(rig.store, 'eu', { agreement_rate: 0.8 }, T0 + hour);
        await reported(rig.store, 'us', { agreement_rate: 0.7 }, T0 + minute);
        const metrics = await rig.control().listJobMetrics('fanned');
        assert.deepEqual(metrics.metrics, [
          {
            name: 'agreement_rate',
            guards: ['agreement_low', 'agreement_drop'],
            keys: [
              {
                key: 'eu',
                points: 2,
                firstAt: new Date(T0).toISOString(),
                lastAt: new Date(T0 + hour).toISOString(),
              },
              {
                key: 'us',
                points: 1,
                firstAt: new Date(T0 + minute).toISOString(),
                lastAt: new Date(T0 + minute).toISOString(),
              },
            ],
          },
          {
            name: 'rows',
            guards: [],
            keys: [
              {
                key: 'eu',
                points: 1,
                firstAt: new Date(T0).toISOString(),
                lastAt: new Date(T0).toISOString(),
              },
            ],
          },
        ]);
      });

      it('gives a metric over a range per key as reported, with its guards and their events in the range', async () => {
        const eu = await reported(rig.store, 'eu', { agreement_rate: 0.9 }, T0);
        await reported(rig.store, 'us', { agreement_rate: 0.7 }, T0 + minute);
        await reported(rig.store, 'us', { agreement_rate: 0.8 }, T0 + 2 * hour);
        await reported(rig.store, 'us', { agreement_rate: 0.1 }, T0 + day);
        const low = await rig.store.recordEvent({
          kind: 'guard:agreement_low',
          dedupKey: 'guard:fanned:agreement_low:us',
          severity: 'critical',
          at: T0 + minute,
          job: 'fanned',
          details: { value: 0.7, fan_key: 'us' },
        });
        await rig.store.recordEvent({
          kind: 'guard:agreement_low',
          dedupKey: 'guard:fanned:agreement_low:eu',
          severity: 'critical',
          at: T0 + 2 * day,
          job: 'fanned',
        });
        const history = await rig.control().getMetricHistory('fanned', 'agreement_rate', {
          from: T0,
          to: T0 + 3 * hour,
        });
        assert.equal(history.bucketMs, null);
        assert.deepEqual(
          history.series.map((series) => [series.key, series.points.map((point) => [point.at, point.last])]),
          [
            ['eu', [[new Date(T0).toISOString(), 0.9]]],
            [
              'us',
              [
                [new Date(T0 + minute).toISOString(), 0.7],
                [new Date(T0 + 2 * hour).toISOString(), 0.8],
              ],
            ],
          ],
        );
        assert.deepEqual(history.series[0]?.points[0], {
          at: new Date(T0).toISOString(),
          count: 1,
          min: 0.9,
          max: 0.9,
          mean: 0.9,
          last: 0.9,
          lastRunId: eu,
        });
        assert.deepEqual(
          history.guards.map((guard) => [
            guard.name,
            guard.below,
            guard.dropBy,
            guard.baseline,
            guard.lookback,
            guard.perKey,
          ]),
          [
            ['agreement_low', 0.75, null, 'mean', 10, true],
            ['agreement_drop', null, 0.1, 'median', 5, false],
          ],
        );
        assert.deepEqual(
          history.events.map((entry) => [entry.guard, entry.key, entry.event.id, entry.event.severity]),
          [['agreement_low', 'us', low.id, 'critical']],
        );
        const onlyEu = await rig.control().getMetricHistory('fanned', 'agreement_rate', {
          key: 'eu',
          from: T0,
          to: T0 + 3 * day,
        });
        assert.deepEqual(
          onlyEu.series.map((series) => series.key),
          ['eu'],
        );
        assert.deepEqual(
          onlyEu.events.map((entry) => entry.key),
          ['eu'],
        );
      });

      it('down-samples a key with more values than asked into buckets of count, min, max, mean and last', async () => {
        for (let index = 0; index < 30; index++) {
          await reported(rig.store, 'eu', { agreement_rate: index / 100 }, T0 + index * hour);
        }
        const history = await rig.control().getMetricHistory('fanned', 'agreement_rate', {
          from: T0,
          to: T0 + 30 * hour,
          points: 10,
        });
        assert.equal(history.bucketMs, Math.ceil((30 * hour) / 9));
        const points = history.series[0]?.points ?? [];
        assert.ok(points.length <= 10 && points.length > 1, `${points.length} points`);
        assert.equal(
          points.reduce((sum, point) => sum + point.count, 0),
          30,
        );
        assert.ok(points.some((point) => point.count > 1));
        for (const point of points) {
          assert.ok(point.min <= point.mean && point.mean <= point.max, JSON.stringify(point));
          // The values only rise, so each bucket's latest is its largest.
          assert.equal(point.last, point.max);
        }
        assert.equal(points[0]?.min, 0);
        assert.equal(points.at(-1)?.last, 0.29);
        // Every point by default: 30 is fewer than 500.
        const whole = await rig
          .control()
          .getMetricHistory('fanned', 'agreement_rate', { from: T0, to: T0 + day * 2 });
        assert.equal(whole.bucketMs, null);
        assert.equal(whole.series[0]?.points.length, 30);
      });

      it('refuses an unknown metric or key, a range that ends before it starts and a point count out of bounds', async () => {
        await reported(rig.store, 'eu', { agreement_rate: 0.9, rows: 1 }, T0);
        await refused(
          rig.control().getMetricHistory('fanned', 'nope'),
          'bad_input',
          'api.invalid',
          /^query\.metric: job "fanned" has no metric "nope"; its metrics are agreement_rate, rows$/,
        );
        await refused(
          rig.control().getMetricHistory('fanned', ''),
          'bad_input',
          'api.invalid',
          /^query\.metric: required/,
        );
        await refused(
          rig.control().getMetricHistory('fanned', 'agreement_rate', { key: 'mars' }),
          'bad_input',
          'api.invalid',
          /^query\.key: job "fanned" has no fan-out key "mars" for agreement_rate; its keys are eu, us$/,
        );
        await refused(
          rig.control().getMetricHistory('fanned', 'agreement_rate', { from: T0 + day, to: T0 }),
          'bad_input',
          'api.invalid',
          /^query\.to: expected an instant after from/,
        );
        for (const points of [5, 2001]) {
          await refused(
            rig.control().getMetricHistory('fanned', 'agreement_rate', { points }),
            'bad_input',
            'api.invalid',
            /^query\.points: expected a point count/,
          );
        }
      });

      it('refuses a job outside the actor as forbidden, and one the job file lacks as not found', async () => {
        await refused(rig.control('team').listJobMetrics('fanned'), 'forbidden', 'api.forbidden', /team-\*/);
        await refused(
          rig.control('team').getMetricHistory('fanned', 'agreement_rate'),
          'forbidden',
          'api.forbidden',
        );
        await refused(rig.control().listJobMetrics('nope'), 'not_found', 'api.unknown-job');
        await refused(rig.control().getMetricHistory('nope', 'x'), 'not_found', 'api.unknown-job');
        assert.deepEqual((await rig.control('team').listJobMetrics('team-build')).metrics, []);
      });
    });

    describe('run counts', () => {
      it('counts runs per status per bucket, every bucket of the range included, with totals', async () => {
        const now = Date.now();
        const { inserted } = await rig.store.insertRuns(
          [T0 + 5 * minute, T0 + 10 * minute, T0 + 2 * hour + 1, T0 + 3 * hour].map((at) => ({
            job: 'report',
            trigger: 'manual' as const,
            scheduledAt: at,
            queuedAt: now,
            runAfter: now + day,
          })),
        );
        await rig.store.insertRuns([
          { job: 'team-build', trigger: 'manual', scheduledAt: T0, queuedAt: now, runAfter: now + day },
        ]);
        assert.ok(await rig.store.cancelRun(inserted[0]?.id as number, { at: now }));
        const stats = await rig
          .control()
          .getRunStats({ job: 'report', from: T0, to: T0 + 3 * hour, bucketMs: hour });
        assert.deepEqual(stats, {
          job: 'report',
          from: new Date(T0).toISOString(),
          to: new Date(T0 + 3 * hour).toISOString(),
          bucketMs: hour,
          buckets: [
            { start: new Date(T0).toISOString(), total: 2, counts: { cancelled: 1, pending: 1 } },
            { start: new Date(T0 + hour).toISOString(), total: 0, counts: {} },
            { start: new Date(T0 + 2 * hour).toISOString(), total: 1, counts: { pending: 1 } },
          ],
          totals: { cancelled: 1, pending: 2 },
        });
        const every = await rig.control().getRunStats({ from: T0, to: T0 + day });
        assert.equal(every.bucketMs, 15 * minute, 'the smallest width giving at most 200 buckets');
        assert.equal(every.buckets.length, 96);
        assert.deepEqual(every.totals, { cancelled: 1, pending: 4 });
        const team = await rig.control('team').getRunStats({ job: 'team-build', from: T0, to: T0 + hour });
        assert.deepEqual(team.totals, { pending: 1 });
      });

      it('refuses a bucket too small for the range, a range that ends before it starts, and other jobs', async () => {
        await refused(
          rig.control().getRunStats({ from: T0, to: T0 + 30 * day, bucketMs: minute }),
          'bad_input',
          'api.invalid',
          /^query\.bucket: a bucket of 60000 ms cuts this range into 43200 buckets, more than 2000/,
        );
        await refused(
          rig.control().getRunStats({ from: T0, to: T0 + hour, bucketMs: 30_000 }),
          'bad_input',
          'api.invalid',
          /^query\.bucket: expected a bucket of at least 1m/,
        );
        await refused(
          rig.control().getRunStats({ from: T0 + hour, to: T0 }),
          'bad_input',
          'api.invalid',
          /^query\.to: expected an instant after from/,
        );
        await refused(rig.control('team').getRunStats(), 'forbidden', 'api.forbidden', /name one with/);
        await refused(rig.control('team').getRunStats({ job: 'report' }), 'forbidden', 'api.forbidden');
      });
    });
  });
}
