/**
 * The monitor watch against a real store and a manual clock: late pings take a monitor down after
 * the grace, pings bring it up, failures take it down at once, start/end pairs are measured, and a
 * compare-and-set lets one watch of several raise. Incidents are collected as the Alerter would get them.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Alerter } from '../../src/alerts/index.ts';
import type { Incident, Recovery } from '../../src/incidents/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { MonitorWatch } from '../../src/watchers/index.ts';
import type { MonitorAlerts } from '../../src/watchers/index.ts';
import { channelsOf } from '../../src/notify/index.ts';
import type { Notification } from '../../src/notify/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/** What the watch handed on, in order. */
class CollectedAlerts implements MonitorAlerts {
  readonly raised: Incident[] = [];
  readonly resolved: Recovery[] = [];
  async raise(incident: Incident): Promise<void> {
    this.raised.push(incident);
  }
  async resolve(recovery: Recovery): Promise<void> {
    this.resolved.push(recovery);
  }
}

const config = configOf(`version: 1
monitors:
  backup: { period: 1h, grace: 5m, min_duration: 10s }
  nightly: { schedule: '0 3 * * *', grace: 30m }
`);

export function defineMonitorWatchSuite(label: string, freshStore: () => Promise<Store>): void {
  describe(`the monitor watch (${label})`, () => {
    const opened: Array<{ store: Store; watches: MonitorWatch[] }> = [];
    afterEach(async () => {
      for (const { store, watches } of opened.splice(0)) {
        for (const watch of watches) await watch.release();
        await store.release();
      }
    });

    async function setUp(
      count = 1,
      refreshMs = 10 * HOUR,
    ): Promise<{
      store: Store;
      clock: ManualClock;
      watches: MonitorWatch[];
      alerts: CollectedAlerts[];
      pingId: (name: string) => Promise<string>;
    }> {
      const store = await freshStore();
      const clock = manualClock(T0);
      const alerts = Array.from({ length: count }, () => new CollectedAlerts());
      const watches = alerts.map(
        (sink) => new MonitorWatch({ store, clock, logger: silentLogger, alerts: sink, refreshMs }),
      );
      opened.push({ store, watches });
      for (const watch of watches) await watch.start(config);
      const pingId = async (name: string) => {
        const monitor = await store.getMonitor(name);
        assert.ok(monitor, name);
        return monitor.pingId;
      };
      return { store, clock, watches, alerts, pingId };
    }

    it('takes a monitor that misses its ping down after the grace, once, and brings it up on the next ping', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp();
      const [watch] = watches;
      const [sink] = alerts;
      assert.ok(watch && sink);
      const id = await pingId('backup');
      assert.equal((await store.getMonitor('backup'))?.status, 'new');
      await watch.recordPing({ pingId: id, kind: 'success', at: clock.now() });
      assert.equal((await store.getMonitor('backup'))?.status, 'up');

      clock.advance(HOUR + 5 * MIN);
      await watch.check();
      assert.equal((await store.getMonitor('backup'))?.status, 'up', 'still within the grace');
      assert.equal(sink.raised.length, 0);

      clock.advance(1); // the watch's own timer fires here
      await watch.check();
      assert.equal((await store.getMonitor('backup'))?.status, 'down');
      assert.equal(sink.raised.length, 1);
      const [incident] = sink.raised;
      assert.equal(incident?.kind, 'monitor:down');
      assert.equal(incident?.notifyKey, 'down');
      assert.equal(incident?.severity, 'failure');
      assert.equal(incident?.monitor, true);
      assert.equal(incident?.job, 'backup');
      assert.equal(incident?.dedupKey, 'monitor:down:backup');
      assert.match(incident?.title ?? '', /backup is down: no ping for 1h/);

      clock.advance(3 * HOUR);
      await watch.check();
      assert.equal(sink.raised.length, 1, 'a down monitor is not raised again by the clock');

      await watch.recordPing({ pingId: id, kind: 'success', at: clock.now() });
      assert.equal((await store.getMonitor('backup'))?.status, 'up');
      assert.deepEqual(
        sink.resolved.map((recovery) => [recovery.dedupKey, recovery.notifyKey, recovery.monitor]),
        [['monitor:down:backup', 'down', true]],
      );
    });

    it('counts a new monitor from its creation: one that never pings goes down after its first period and grace', async () => {
      const { store, clock, watches, alerts } = await setUp();
      clock.advance(HOUR + 5 * MIN + 1);
      await watches[0]?.check();
      assert.equal((await store.getMonitor('backup'))?.status, 'down');
      assert.match(alerts[0]?.raised[0]?.title ?? '', /no ping since it was created/);
      // The schedule monitor's first 03:00 after creation has not come yet.
      assert.equal((await store.getMonitor('nightly'))?.status, 'new');
      clock.set(Date.UTC(2026, 0, 11, 3, 30, 1));
      await watches[0]?.check();
      assert.equal((await store.getMonitor('nightly'))?.status, 'down');
    });

    it('takes a monitor down at once on /fail and on a non-zero exit code, raising only on the change', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp();
      const [watch] = watches;
      assert.ok(watch);
      const id = await pingId('backup');
      await watch.recordPing({ pingId: id, kind: 'success', at: clock.now() });
      clock.advance(MIN);
      await watch.recordPing({ pingId: id, kind: 'exit', exitCode: 3, at: clock.now(), body: 'boom\n' });
      assert.equal((await store.getMonitor('backup'))?.status, 'down');
      assert.equal(alerts[0]?.raised.length, 1);
      assert.match(alerts[0]?.raised[0]?.title ?? '', /exited with code 3/);
      assert.equal(alerts[0]?.raised[0]?.details?.['exit_code'], 3);
      assert.equal(alerts[0]?.raised[0]?.summary, 'boom');
      await watch.recordPing({ pingId: id, kind: 'fail', at: clock.now() });
      assert.equal(alerts[0]?.raised.length, 1, 'already down: nothing new');
      await watch.recordPing({ pingId: id, kind: 'exit', exitCode: 0, at: clock.now() });
      assert.equal((await store.getMonitor('backup'))?.status, 'up');
      await watch.recordPing({ pingId: id, kind: 'fail', at: clock.now() });
      assert.equal((await store.getMonitor('backup'))?.status, 'down');
      assert.equal(alerts[0]?.raised.length, 2);
      assert.match(alerts[0]?.raised[1]?.title ?? '', /reported a failure/);
    });

    it('measures start to end with the same run id and reports a run under min_duration as too fast', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp();
      const [watch] = watches;
      assert.ok(watch);
      const id = await pingId('backup');
      await watch.recordPing({ pingId: id, kind: 'start', at: clock.now(), runKey: 'run-a' });
      clock.advance(27_000);
      await watch.recordPing({ pingId: id, kind: 'start', at: clock.now(), runKey: 'run-b' });
      clock.advance(3000);
      const slow = await watch.recordPing({
        pingId: id,
        kind: 'exit',
        exitCode: 0,
        at: clock.now(),
        runKey: 'run-a',
      });
      assert.equal(slow?.ping.durationMs, 30_000);
      assert.equal(alerts[0]?.raised.length, 0);
      clock.advance(2000);
      const fast = await watch.recordPing({ pingId: id, kind: 'success', at: clock.now(), runKey: 'run-b' });
      assert.equal(fast?.ping.durationMs, 5000);
      assert.deepEqual(
        alerts[0]?.raised.map((incident) => [incident.kind, incident.notifyKey, incident.severity]),
        [['monitor:too-fast', 'warning', 'warning']],
      );
      const page = await store.listPings({ monitor: 'backup' });
      assert.deepEqual(
        page.pings.map((ping) => [ping.kind, ping.runKey, ping.durationMs]),
        [
          ['success', 'run-b', 5000],
          ['exit', 'run-a', 30_000],
          ['start', 'run-b', null],
          ['start', 'run-a', null],
        ],
      );
    });

    it('lets exactly one of two watches on one store take a late monitor down', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp(2);
      await watches[0]?.recordPing({ pingId: await pingId('backup'), kind: 'success', at: clock.now() });
      clock.advance(HOUR + 5 * MIN + 1);
      await Promise.all(watches.map((watch) => watch.check()));
      assert.equal((await store.getMonitor('backup'))?.status, 'down');
      assert.equal(
        alerts.reduce((sum, sink) => sum + sink.raised.length, 0),
        1,
      );
    });

    it('lets a paused monitor pass its deadline without going down or alerting, and gives it a fresh grace after the resume', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp();
      const [watch] = watches;
      const [sink] = alerts;
      assert.ok(watch && sink);
      await watch.recordPing({ pingId: await pingId('backup'), kind: 'success', at: clock.now() });
      clock.advance(30 * MIN);
      const paused = await watch.setMonitorPaused('backup', true, clock.now());
      assert.deepEqual([paused?.changed, paused?.monitor.paused], [true, true]);

      clock.advance(3 * HOUR); // the deadline (1h plus 5m after the ping) passes, its timer fires
      await watch.check();
      const during = await store.getMonitor('backup');
      assert.deepEqual([during?.status, during?.paused], ['up', true]);
      assert.equal(sink.raised.length, 0);

      const resumedAt = clock.now();
      assert.equal((await watch.setMonitorPaused('backup', false, resumedAt))?.changed, true);
      await watch.check();
      assert.equal((await store.getMonitor('backup'))?.status, 'up', 'not late at once after a long pause');
      clock.advance(HOUR + 5 * MIN);
      await watch.check();
      assert.equal(
        (await store.getMonitor('backup'))?.status,
        'up',
        'a whole period and grace from the resume',
      );
      assert.equal(sink.raised.length, 0);
      clock.advance(1);
      await watch.check();
      assert.equal((await store.getMonitor('backup'))?.status, 'down');
      assert.equal(sink.raised.length, 1);
      assert.match(
        sink.raised[0]?.title ?? '',
        new RegExp(`no ping since it was resumed at ${new Date(resumedAt).toISOString()}`),
      );
    });

    it('stores the pings of a paused monitor without taking it down or reporting a fast run, and brings it up on a success', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp();
      const [watch] = watches;
      const [sink] = alerts;
      assert.ok(watch && sink);
      const id = await pingId('backup');
      await watch.recordPing({ pingId: id, kind: 'success', at: clock.now() });
      await watch.setMonitorPaused('backup', true, clock.now());
      await watch.recordPing({ pingId: id, kind: 'start', at: clock.now(), runKey: 'm-1' });
      clock.advance(2000);
      await watch.recordPing({ pingId: id, kind: 'exit', exitCode: 3, at: clock.now(), runKey: 'm-1' });
      await watch.recordPing({ pingId: id, kind: 'fail', at: clock.now() });
      await watch.recordPing({ pingId: id, kind: 'start', at: clock.now(), runKey: 'm-2' });
      clock.advance(2000);
      const fast = await watch.recordPing({ pingId: id, kind: 'success', at: clock.now(), runKey: 'm-2' });
      assert.equal(fast?.ping.durationMs, 2000, 'under min_duration (10s)');
      assert.equal((await store.getMonitor('backup'))?.status, 'up');
      assert.deepEqual(sink.raised, [], 'no monitor:down, no monitor:too-fast');
      assert.equal((await store.listPings({ monitor: 'backup' })).pings.length, 6, 'every ping is stored');

      // Down before the pause: it stays down, and a success during the pause resolves it.
      await watch.setMonitorPaused('backup', false, clock.now());
      await watch.recordPing({ pingId: id, kind: 'fail', at: clock.now() });
      assert.equal(sink.raised.length, 1);
      await watch.setMonitorPaused('backup', true, clock.now());
      assert.equal((await store.getMonitor('backup'))?.status, 'down', 'pausing keeps the status');
      clock.advance(2 * HOUR);
      await watch.check();
      assert.deepEqual([sink.raised.length, sink.resolved.length], [1, 0]);
      await watch.recordPing({ pingId: id, kind: 'success', at: clock.now() });
      assert.equal((await store.getMonitor('backup'))?.status, 'up');
      assert.deepEqual(
        sink.resolved.map((recovery) => recovery.dedupKey),
        ['monitor:down:backup'],
      );
    });

    it('honours a pause and a resume made through another node: it re-reads the monitors', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp(2, MIN);
      const [watch, other] = watches;
      assert.ok(watch && other);
      await watch.recordPing({ pingId: await pingId('backup'), kind: 'success', at: clock.now() });
      clock.advance(10 * MIN);
      await other.setMonitorPaused('backup', true, clock.now());
      clock.advance(2 * HOUR); // the first watch's timer for the old deadline fires on the way
      await watch.check();
      assert.equal((await store.getMonitor('backup'))?.status, 'up');
      assert.equal(
        alerts.reduce((sum, sink) => sum + sink.raised.length, 0),
        0,
      );

      // Resumed on a node without a watch: the first watch learns it at its next re-read.
      const resumedAt = clock.now();
      await store.setMonitorPaused('backup', false, resumedAt);
      clock.advance(HOUR + 5 * MIN + 1);
      await waitFor('the first watch to take the resumed monitor down', async () =>
        (await store.getMonitor('backup'))?.status === 'down' ? true : undefined,
      );
      assert.equal((await store.getMonitor('backup'))?.statusChangedAt, resumedAt + HOUR + 5 * MIN + 1);
    });

    it('does not tell of a paused monitor’s open down event when its flapping summary settles', async () => {
      const store = await freshStore();
      const clock = manualClock(T0);
      const flapping = configOf(`version: 1
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x" } }
monitors:
  backup: { period: 1h, grace: 5m, notify: { down: [ops], up: [ops] } }
`);
      const sent: Notification[] = [];
      const alerter = new Alerter({
        store,
        clock,
        logger: silentLogger,
        outbox: { enqueue: (notification) => sent.push(notification) },
        flapPolicy: { openings: 2, windowMs: 10 * MIN },
      });
      alerter.setConfig(flapping, channelsOf(flapping.channels, { timezone: flapping.timezone }));
      const watch = new MonitorWatch({ store, clock, logger: silentLogger, alerts: alerter });
      opened.push({ store, watches: [watch] });
      await watch.start(flapping);
      const id = (await store.getMonitor('backup'))?.pingId ?? '';
      for (const kind of ['fail', 'success', 'fail'] as const) {
        await watch.recordPing({ pingId: id, kind, at: clock.now() });
        clock.advance(MIN);
      }
      assert.deepEqual(
        sent.map((notification) => `${notification.kind} ${notification.title}`),
        [
          'trigger backup is down: the job reported a failure',
          'resolve backup is up again',
          'trigger backup is flapping: 2 failures, 1 recovery in the last 10 minutes',
        ],
        'the second opening is summarised, not told',
      );
      await watch.setMonitorPaused('backup', true, clock.now());
      clock.advance(10 * MIN);
      await alerter.remind();
      assert.deepEqual(
        sent.slice(3).map((notification) => `${notification.kind} ${notification.title}`),
        ['resolve backup stopped flapping'],
        'the down event still open is not told while the monitor is paused',
      );
      assert.notEqual(await store.getOpenEvent('monitor:down:backup'), undefined, 'left open as it was');
    });

    it('stops watching a monitor removed from the job file, and answers no ping of it', async () => {
      const { store, clock, watches, alerts, pingId } = await setUp();
      const [watch] = watches;
      assert.ok(watch);
      const id = await pingId('backup');
      await watch.reload({
        ...config,
        monitors: config.monitors.filter((monitor) => monitor.name !== 'backup'),
      });
      clock.advance(2 * HOUR);
      await watch.check();
      assert.equal(alerts[0]?.raised.length, 0);
      assert.equal(await watch.recordPing({ pingId: id, kind: 'success', at: clock.now() }), undefined);
      assert.equal((await store.listPings({ monitor: 'backup' })).pings.length, 0);
    });
  });
}
