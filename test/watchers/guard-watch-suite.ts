/**
 * GuardWatch on a real store: the seed-000 rules with their cool-down and per-tenant histories,
 * seed 001's absolute bound, median and lookback, and runs that report nothing to judge.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { GuardWatch } from '../../src/watchers/index.ts';
import type { GuardCheck } from '../../src/watchers/index.ts';
import type { Store } from '../../src/store/index.ts';
import type { StoreFactory } from '../support/engine-harness.ts';
import { silentLogger } from '../support/engine-harness.ts';
import {
  HOUR,
  RecordingIncidents,
  T0,
  endRun,
  jobOf,
  seed000,
  seed001,
  shapes,
} from '../guards/guard-fixtures.ts';

const evalJob = jobOf(seed000, 'ai-mkt-eval');
const driftJob = jobOf(seed001, 'sigmak-drift-review');

function actions(checks: readonly GuardCheck[]): Record<string, string> {
  return Object.fromEntries(checks.map((check) => [check.guard, check.action]));
}

export function defineGuardWatchSuite(name: string, makeStore: StoreFactory): void {
  describe(`guards on ${name}`, () => {
    let store: Store;
    let clock: ManualClock;
    let incidents: RecordingIncidents;
    let watch: GuardWatch;

    beforeEach(async () => {
      store = await makeStore();
      clock = manualClock(T0);
      incidents = new RecordingIncidents(store, clock);
      watch = new GuardWatch({ store, clock, incidents, logger: silentLogger });
    });
    afterEach(async () => {
      await watch.release();
      await store.release();
    });

    /** Ten calm nightly runs of a tenant, one a day before T0. */
    async function calmHistory(fanKey: string, refusal: number, citation: number): Promise<void> {
      const start = clock.now();
      for (let day = 10; day >= 1; day--) {
        clock.set(T0 - day * 24 * HOUR);
        const run = await endRun(
          store,
          clock,
          evalJob.name,
          { refusal_rate: refusal, citation_rate: citation },
          { fanKey },
        );
        await watch.check(run, evalJob);
      }
      clock.set(start);
    }

    async function evalRun(
      fanKey: string,
      refusal: number,
      citation: number,
    ): Promise<readonly GuardCheck[]> {
      const run = await endRun(
        store,
        clock,
        evalJob.name,
        { refusal_rate: refusal, citation_rate: citation },
        { fanKey },
      );
      return watch.check(run, evalJob);
    }

    it('raises guard:refusal_spike when a tenant’s refusal rate rose by more than 0.05 against the mean of its last 10 runs', async () => {
      await calmHistory('tenant_a', 0.02, 0.8);
      assert.equal(incidents.raised.length, 0, 'a calm history raises nothing');
      const checks = await evalRun('tenant_a', 0.12, 0.8);
      assert.deepEqual(actions(checks), { refusal_spike: 'raised', citation_drop: 'passed' });
      const [incident] = incidents.raised;
      assert.equal(incident?.kind, 'guard:refusal_spike');
      assert.equal(incident?.notifyKey, 'guard');
      assert.equal(incident?.severity, 'warning');
      assert.equal(incident?.dedupKey, 'guard:ai-mkt-eval:refusal_spike:tenant_a');
      assert.equal(incident?.title, 'ai-mkt-eval: guard refusal_spike tripped for tenant_a');
      assert.equal(
        incident?.summary,
        'refusal_rate rose by 0.1 to 0.12 against the mean of the last 10 successful runs (0.02), more than 0.05',
      );
      assert.deepEqual(incident?.details, {
        guard: 'refusal_spike',
        metric: 'refusal_rate',
        value: 0.12,
        baseline: 0.02,
        baseline_of: 'mean of 10 runs',
        delta: 0.1,
        rise_by: 0.05,
        fan_key: 'tenant_a',
      });
      const [event] = (await store.listEvents({ dedupKey: incident!.dedupKey })).events;
      assert.equal(event?.kind, 'guard:refusal_spike');
      assert.equal(event?.firstSeen, T0);
      assert.equal(event?.resolvedAt, null);
    });

    it('raises nothing new for a second spike within the 24 h cool-down, and raises again once it is over', async () => {
      await calmHistory('tenant_a', 0.02, 0.8);
      await evalRun('tenant_a', 0.12, 0.8);
      clock.set(T0 + 6 * HOUR);
      assert.deepEqual(actions(await evalRun('tenant_a', 0.15, 0.8)), {
        refusal_spike: 'cooling_down',
        citation_drop: 'passed',
      });
      clock.set(T0 + 24 * HOUR - 1);
      assert.equal(actions(await evalRun('tenant_a', 0.15, 0.8))['refusal_spike'], 'cooling_down');
      assert.equal(incidents.raised.length, 1, 'nothing handed on within the cool-down');
      const [cooling] = (await store.listEvents({ dedupKey: 'guard:ai-mkt-eval:refusal_spike:tenant_a' }))
        .events;
      assert.deepEqual([cooling?.count, cooling?.lastSeen], [1, T0], 'the event is untouched');

      clock.set(T0 + 24 * HOUR);
      assert.equal(actions(await evalRun('tenant_a', 0.2, 0.8))['refusal_spike'], 'raised');
      assert.equal(incidents.raised.length, 2);
      const events = (await store.listEvents({ dedupKey: 'guard:ai-mkt-eval:refusal_spike:tenant_a' }))
        .events;
      assert.equal(events.length, 1, 'still open: the raise counts on the same event');
      assert.deepEqual([events[0]?.count, events[0]?.lastSeen], [2, T0 + 24 * HOUR]);
    });

    it('resolves the incident when a later run passes, and a spike after the cool-down opens a new event', async () => {
      await calmHistory('tenant_a', 0.02, 0.8);
      await evalRun('tenant_a', 0.12, 0.8);
      clock.set(T0 + 2 * HOUR);
      assert.equal(actions(await evalRun('tenant_a', 0.03, 0.8))['refusal_spike'], 'resolved');
      assert.equal(incidents.resolved[0]?.dedupKey, 'guard:ai-mkt-eval:refusal_spike:tenant_a');
      assert.equal(incidents.resolved[0]?.notifyKey, 'guard');
      clock.set(T0 + 3 * HOUR);
      assert.equal(
        actions(await evalRun('tenant_a', 0.2, 0.8))['refusal_spike'],
        'cooling_down',
        'a resolved event still holds the cool-down',
      );
      clock.set(T0 + 25 * HOUR);
      assert.equal(actions(await evalRun('tenant_a', 0.2, 0.8))['refusal_spike'], 'raised');
      const events = (await store.listEvents({ dedupKey: 'guard:ai-mkt-eval:refusal_spike:tenant_a' }))
        .events;
      assert.deepEqual(
        events.map((event) => [event.firstSeen, event.resolvedAt]),
        [
          [T0 + 25 * HOUR, null],
          [T0, T0 + 2 * HOUR],
        ],
      );
    });

    it('judges each tenant against its own history: one tenant’s spike does not trip another', async () => {
      await calmHistory('tenant_a', 0.02, 0.8);
      await calmHistory('tenant_b', 0.2, 0.5);
      // tenant_b's usual 0.2 would be a spike against a history shared with tenant_a (mean 0.11).
      assert.deepEqual(actions(await evalRun('tenant_b', 0.2, 0.5)), {
        refusal_spike: 'passed',
        citation_drop: 'passed',
      });
      assert.deepEqual(actions(await evalRun('tenant_a', 0.12, 0.6)), {
        refusal_spike: 'raised',
        citation_drop: 'raised',
      });
      assert.deepEqual(actions(await evalRun('tenant_b', 0.21, 0.45)), {
        refusal_spike: 'passed',
        citation_drop: 'passed',
      });
      assert.deepEqual(
        incidents.raised.map((incident) => incident.dedupKey),
        ['guard:ai-mkt-eval:refusal_spike:tenant_a', 'guard:ai-mkt-eval:citation_drop:tenant_a'],
      );
      // tenant_a's cool-down is its own: tenant_b's citation drop raises at once.
      assert.deepEqual(actions(await evalRun('tenant_b', 0.2, 0.3)), {
        refusal_spike: 'passed',
        citation_drop: 'raised',
      });
      const drop = incidents.raised[2];
      assert.equal(drop?.dedupKey, 'guard:ai-mkt-eval:citation_drop:tenant_b');
      // tenant_b's own ten newest: nine nights at 0.5 and the 0.45 above.
      assert.equal(
        drop?.summary,
        'citation_rate dropped by 0.195 to 0.3 against the mean of the last 10 successful runs (0.495), more than 0.1',
      );
    });

    it('raises seed 001’s agreement_rate < 0.75 as critical on the first run, and resolves it when agreement is back', async () => {
      const low = await endRun(
        store,
        clock,
        driftJob.name,
        { agreement_rate: 0.71, total_reviewed: 50 },
        { status: 'critical' },
      );
      assert.deepEqual(actions(await watch.check(low, driftJob)), { agreement_rate_low: 'raised' });
      const [incident] = incidents.raised;
      assert.equal(incident?.kind, 'guard:agreement_rate_low');
      assert.equal(incident?.severity, 'critical');
      assert.equal(incident?.dedupKey, 'guard:sigmak-drift-review:agreement_rate_low');
      assert.equal(incident?.summary, 'agreement_rate is 0.71, below 0.75');
      assert.deepEqual(incident?.details, {
        guard: 'agreement_rate_low',
        metric: 'agreement_rate',
        value: 0.71,
        below: 0.75,
      });
      const [event] = (await store.listEvents({ kind: 'guard:agreement_rate_low' })).events;
      assert.equal(event?.severity, 'critical');
      clock.set(T0 + 24 * HOUR);
      const good = await endRun(store, clock, driftJob.name, { agreement_rate: 0.92 });
      assert.deepEqual(actions(await watch.check(good, driftJob)), { agreement_rate_low: 'resolved' });
      assert.equal(await store.getOpenEvent('guard:sigmak-drift-review:agreement_rate_low'), undefined);
    });

    it('waits 24 h by default before raising the same guard again', async () => {
      const first = await endRun(
        store,
        clock,
        driftJob.name,
        { agreement_rate: 0.6 },
        { status: 'critical' },
      );
      await watch.check(first, driftJob);
      clock.set(T0 + 23 * HOUR);
      const again = await endRun(
        store,
        clock,
        driftJob.name,
        { agreement_rate: 0.6 },
        { status: 'critical' },
      );
      assert.deepEqual(actions(await watch.check(again, driftJob)), { agreement_rate_low: 'cooling_down' });
      clock.set(T0 + 24 * HOUR);
      const later = await endRun(
        store,
        clock,
        driftJob.name,
        { agreement_rate: 0.6 },
        { status: 'critical' },
      );
      assert.deepEqual(actions(await watch.check(later, driftJob)), { agreement_rate_low: 'raised' });
      assert.equal(incidents.raised.length, 2);
    });

    it('builds the baseline from earlier successful runs only, never from failed runs or the run itself', async () => {
      const statuses = ['succeeded', 'succeeded', 'failed', 'succeeded', 'timed_out'] as const;
      for (const [index, status] of statuses.entries()) {
        clock.set(T0 + index * HOUR);
        const rate = status === 'succeeded' ? 0.02 : 0.9;
        await endRun(store, clock, evalJob.name, { refusal_rate: rate }, { fanKey: 'tenant_a', status });
      }
      clock.set(T0 + 10 * HOUR);
      const checks = await evalRun('tenant_a', 0.09, 0.8);
      const spike = checks.find((check) => check.guard === 'refusal_spike');
      assert.equal(spike?.action, 'raised');
      assert.ok(spike?.evaluation?.kind === 'breached');
      assert.deepEqual(spike.evaluation.baseline, { kind: 'mean', value: 0.02, runs: 3 });
    });

    it('judges a run that failed too: its value is checked, only the history leaves it out', async () => {
      await calmHistory('tenant_a', 0.02, 0.8);
      const failed = await endRun(
        store,
        clock,
        evalJob.name,
        { refusal_rate: 0.5, citation_rate: 0.8 },
        { fanKey: 'tenant_a', status: 'failed' },
      );
      assert.equal(actions(await watch.check(failed, evalJob))['refusal_spike'], 'raised');
    });

    it('compares with the median of the last `lookback` runs when the guard says so', async () => {
      const job = jobOf(shapes, 'median-job');
      // Oldest first: a slow run the lookback of 3 leaves out, then 100, one outlier, 110.
      for (const [index, latency] of [9000, 100, 5000, 110].entries()) {
        clock.set(T0 + index * HOUR);
        await endRun(store, clock, job.name, { latency_ms: latency });
      }
      // Median of [110, 5000, 100] is 110; their mean (1736) or a median over all four (2555) would let 400 pass.
      clock.set(T0 + 10 * HOUR);
      const slow = await watch.check(await endRun(store, clock, job.name, { latency_ms: 400 }), job);
      assert.equal(slow[0]?.action, 'raised');
      assert.ok(slow[0]?.evaluation?.kind === 'breached');
      assert.deepEqual(slow[0].evaluation.baseline, { kind: 'median', value: 110, runs: 3 });
      assert.equal(
        incidents.raised[0]?.summary,
        'latency_ms rose by 290 to 400 against the median of the last 3 successful runs (110), more than 100',
      );
      // Its cool-down is 1 h: at 30 min nothing, at 1 h again (the median of [3000, 400, 110] is 400).
      clock.set(T0 + 10.5 * HOUR);
      const soon = await watch.check(await endRun(store, clock, job.name, { latency_ms: 3000 }), job);
      assert.equal(soon[0]?.action, 'cooling_down');
      clock.set(T0 + 11 * HOUR);
      const next = await watch.check(await endRun(store, clock, job.name, { latency_ms: 3000 }), job);
      assert.equal(next[0]?.action, 'raised');
      assert.ok(next[0]?.evaluation?.kind === 'breached');
      assert.equal(next[0].evaluation.baseline?.value, 400);
    });

    it('judges nothing for a run that did not report the metric, and leaves an open incident open', async () => {
      await calmHistory('tenant_a', 0.02, 0.8);
      await evalRun('tenant_a', 0.12, 0.8);
      clock.set(T0 + HOUR);
      const partial = await endRun(
        store,
        clock,
        evalJob.name,
        { citation_rate: 0.8 },
        { fanKey: 'tenant_a' },
      );
      assert.deepEqual(actions(await watch.check(partial, evalJob)), {
        refusal_spike: 'missing',
        citation_drop: 'passed',
      });
      const silent = await endRun(store, clock, evalJob.name, {}, { fanKey: 'tenant_a' });
      const checks = await watch.check(silent, evalJob);
      assert.deepEqual(actions(checks), { refusal_spike: 'missing', citation_drop: 'missing' });
      assert.deepEqual(checks[0]?.evaluation, { kind: 'missing', metric: 'refusal_rate' });
      assert.equal(incidents.raised.length, 1);
      assert.equal(incidents.resolved.length, 0);
      assert.notEqual(await store.getOpenEvent('guard:ai-mkt-eval:refusal_spike:tenant_a'), undefined);
    });

    it('shares one history and one incident among fan-out keys when the guard is not per_key', async () => {
      const job = jobOf(shapes, 'shared');
      for (const [index, fanKey] of ['a', 'b', 'a', 'b'].entries()) {
        clock.set(T0 + index * HOUR);
        await watch.check(await endRun(store, clock, job.name, { errors: 1 }, { fanKey }), job);
      }
      clock.set(T0 + 5 * HOUR);
      const checks = await watch.check(
        await endRun(store, clock, job.name, { errors: 9 }, { fanKey: 'b' }),
        job,
      );
      assert.equal(checks[0]?.action, 'raised');
      assert.ok(checks[0]?.evaluation?.kind === 'breached');
      assert.equal(checks[0].evaluation.baseline?.runs, 4);
      assert.equal(incidents.raised[0]?.dedupKey, 'guard:shared:errors');
      assert.equal(incidents.raised[0]?.details?.['fan_key'], 'b');
    });

    it('does nothing for a job without guards', async () => {
      const job = jobOf(shapes, 'median-job');
      const bare = { ...job, guards: new Map() };
      const run = await endRun(store, clock, job.name, { latency_ms: 1e9 });
      assert.deepEqual(await watch.check(run, bare), []);
      assert.deepEqual((await store.listEvents({})).events, []);
    });
  });
}
