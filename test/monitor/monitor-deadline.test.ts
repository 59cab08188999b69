/** When a monitor goes late: period, schedule, expect_success_within, and new monitors counted from creation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lateAt, monitorDeadline, monitorTimingOf } from '../../src/monitor/index.ts';
import type { MonitorRecord } from '../../src/store/index.ts';
import { configOf } from '../support/engine-harness.ts';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const config = configOf(`version: 1
timezone: Europe/Paris
monitors:
  hourly: { period: 1h, grace: 5m }
  nightly: { schedule: '0 3 * * *', grace: 30m }
  weekly: { period: 7d, expect_success_within: 2d }
  bare: { period: 10m }
`);
const timing = (name: string) => {
  const monitor = config.monitors.find((candidate) => candidate.name === name);
  assert.ok(monitor, name);
  return monitorTimingOf(monitor);
};

function record(overrides: Partial<MonitorRecord>): MonitorRecord {
  return {
    name: 'm',
    pingId: 'p'.repeat(32),
    status: 'up',
    lastPingAt: null,
    lastStartAt: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    statusChangedAt: T0,
    createdAt: T0 - 30 * DAY,
    removedAt: null,
    paused: false,
    pausedAt: null,
    resumedAt: null,
    ...overrides,
  };
}

describe('monitor deadlines', () => {
  it('expects the next ping one period after the last and counts it late only after the grace', () => {
    const up = record({ lastPingAt: T0, lastSuccessAt: T0 });
    assert.deepEqual(monitorDeadline(timing('hourly'), up), {
      at: T0 + HOUR + 5 * 60_000,
      reason: 'period',
      dueAt: T0 + HOUR,
    });
    assert.equal(
      lateAt(timing('hourly'), up, T0 + HOUR + 5 * 60_000),
      null,
      'a ping exactly at the deadline is in time',
    );
    assert.equal(lateAt(timing('hourly'), up, T0 + HOUR + 5 * 60_000 + 1)?.reason, 'period');
  });

  it('counts a start ping as the last ping with a period', () => {
    const started = record({
      lastPingAt: T0 + 10 * 60_000,
      lastStartAt: T0 + 10 * 60_000,
      lastSuccessAt: T0,
    });
    assert.equal(monitorDeadline(timing('hourly'), started)?.at, T0 + 70 * 60_000 + 5 * 60_000);
  });

  it('expects a success after each scheduled time, in the monitor’s zone, within the grace', () => {
    // 03:00 in Paris is 02:00 UTC in January.
    const ranLastNight = record({
      lastPingAt: Date.UTC(2026, 0, 10, 2, 0, 20),
      lastSuccessAt: Date.UTC(2026, 0, 10, 2, 0, 20),
    });
    const deadline = monitorDeadline(timing('nightly'), ranLastNight);
    assert.equal(deadline?.reason, 'schedule');
    assert.equal(deadline?.dueAt, Date.UTC(2026, 0, 11, 2, 0, 0));
    assert.equal(deadline?.at, Date.UTC(2026, 0, 11, 2, 30, 0));
  });

  it('takes the earlier of the period and expect_success_within, failures not counting as success', () => {
    const failing = record({ lastPingAt: T0, lastSuccessAt: T0 - 3 * DAY + HOUR, lastFailureAt: T0 });
    const deadline = monitorDeadline(timing('weekly'), failing);
    assert.equal(deadline?.reason, 'no-success');
    assert.equal(deadline?.at, T0 - DAY + HOUR);
    assert.equal(lateAt(timing('weekly'), failing, T0)?.reason, 'no-success');
  });

  it('counts a new monitor from its creation, so one that never pings goes late', () => {
    const fresh = record({ status: 'new', createdAt: T0 });
    assert.equal(monitorDeadline(timing('bare'), fresh)?.at, T0 + 10 * 60_000);
    assert.equal(lateAt(timing('bare'), fresh, T0 + 10 * 60_000 + 1)?.reason, 'period');
    const nightlyFresh = record({ status: 'new', createdAt: Date.UTC(2026, 0, 10, 12, 0, 0) });
    assert.equal(monitorDeadline(timing('nightly'), nightlyFresh)?.dueAt, Date.UTC(2026, 0, 11, 2, 0, 0));
  });

  it('has no deadline for a monitor that is down (only a ping changes that) or removed', () => {
    assert.equal(monitorDeadline(timing('hourly'), record({ status: 'down', lastPingAt: T0 })), null);
    assert.equal(monitorDeadline(timing('hourly'), record({ lastPingAt: T0, removedAt: T0 })), null);
  });

  it('has no deadline for a paused monitor, however long ago it pinged', () => {
    const paused = record({ lastPingAt: T0 - 30 * DAY, paused: true, pausedAt: T0 - 29 * DAY });
    for (const name of ['hourly', 'nightly', 'weekly', 'bare']) {
      assert.equal(monitorDeadline(timing(name), paused), null, name);
      assert.equal(lateAt(timing(name), paused, T0), null, name);
    }
  });

  it('counts a resumed monitor from its resume when that is later than its pings: a fresh period and grace', () => {
    const resumed = record({ lastPingAt: T0 - 2 * DAY, lastSuccessAt: T0 - 2 * DAY, resumedAt: T0 });
    assert.deepEqual(monitorDeadline(timing('hourly'), resumed), {
      at: T0 + HOUR + 5 * 60_000,
      reason: 'period',
      dueAt: T0 + HOUR,
    });
    // 12:00 UTC on the 10th: the next 03:00 in Paris is 02:00 UTC on the 11th, then the grace.
    assert.equal(monitorDeadline(timing('nightly'), resumed)?.at, Date.UTC(2026, 0, 11, 2, 30, 0));
    const weekly = monitorDeadline(timing('weekly'), resumed);
    assert.deepEqual([weekly?.reason, weekly?.at], ['no-success', T0 + 2 * DAY]);
    const pingedSince = record({ lastPingAt: T0 + HOUR, lastSuccessAt: T0 + HOUR, resumedAt: T0 });
    assert.equal(monitorDeadline(timing('hourly'), pingedSince)?.at, T0 + 2 * HOUR + 5 * 60_000);
    const neverPinged = record({ status: 'new', createdAt: T0 - DAY, resumedAt: T0 });
    assert.equal(monitorDeadline(timing('bare'), neverPinged)?.at, T0 + 10 * 60_000);
  });
});
