import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchedule } from '../../src/calendar/compile-schedule.ts';
import { dstPolicyOf } from '../../src/calendar/dst-policy.ts';
import { formatIsoInZone } from '../../src/calendar/format-elapse.ts';
import { parseSchedule } from '../../src/calendar/parse-schedule.ts';
import type { CalendarSpec } from '../../src/calendar/calendar-spec.ts';

/** The next `count` elapses after `from`, as local ISO times with offsets. */
function local(expr: string, zone: string, from: string, count: number): string[] {
  const schedule = compileSchedule(parseSchedule(expr), { timezone: zone });
  const list = schedule.upcoming(Date.parse(from), count);
  // previous() walks the same elapses back.
  let cursor = (list[list.length - 1] ?? 0) + 1;
  for (let i = list.length - 1; i >= 0; i--) {
    const previous = schedule.previous(cursor);
    assert.equal(previous, list[i], `previous() of ${expr} in ${zone}`);
    cursor = previous ?? 0;
  }
  return list.map((ms) => formatIsoInZone(ms, zone));
}

describe('daylight saving: cron fixed-time jobs (Vixie cron rules)', () => {
  it('runs a job in the spring-forward gap once at the end of the gap (New York, 2026-03-08)', () => {
    assert.deepEqual(local('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 3), [
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:30:00-04:00',
      '2026-03-10T02:30:00-04:00',
    ]);
  });

  it('runs a job in the fall-back repeat once, at the first 01:30 (New York, 2026-11-01)', () => {
    assert.deepEqual(local('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2), [
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });

  it('does not run a job twice when asked from inside the second pass', () => {
    const schedule = compileSchedule(parseSchedule('30 1 * * *'), { timezone: 'America/New_York' });
    // 01:10 EST, in the repeated hour after 01:30 EDT already fired.
    assert.equal(
      formatIsoInZone(schedule.next(Date.parse('2026-11-01T06:10:00Z')) ?? 0, 'America/New_York'),
      '2026-11-02T01:30:00-05:00',
    );
  });

  it('follows the same rules in Europe/Berlin', () => {
    assert.deepEqual(local('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2), [
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:30:00+02:00',
    ]);
    assert.deepEqual(local('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2), [
      '2026-10-25T02:30:00+02:00',
      '2026-10-26T02:30:00+01:00',
    ]);
  });

  it('handles the 30-minute shift of Lord Howe Island', () => {
    // 2026-10-04 02:00 -> 02:30; 2026-04-05 02:00 -> 01:30.
    assert.deepEqual(local('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2), [
      '2026-10-04T02:30:00+11:00',
      '2026-10-05T02:15:00+11:00',
    ]);
    assert.deepEqual(local('45 1 * * *', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z', 2), [
      '2026-04-05T01:45:00+11:00',
      '2026-04-06T01:45:00+10:30',
    ]);
  });

  it('handles the southern hemisphere (Sydney) and a gap at midnight (Santiago)', () => {
    assert.deepEqual(local('30 2 * * *', 'Australia/Sydney', '2026-10-03T00:00:00Z', 2), [
      '2026-10-04T03:00:00+11:00',
      '2026-10-05T02:30:00+11:00',
    ]);
    assert.deepEqual(local('30 2 * * *', 'Australia/Sydney', '2026-04-04T00:00:00Z', 2), [
      '2026-04-05T02:30:00+11:00',
      '2026-04-06T02:30:00+10:00',
    ]);
    assert.deepEqual(local('30 0 * * *', 'America/Santiago', '2026-09-05T12:00:00Z', 2), [
      '2026-09-06T01:00:00-03:00',
      '2026-09-07T00:30:00-03:00',
    ]);
  });

  it('treats a stepped hour without * as fixed-time, like Vixie (croner calls it an interval job)', () => {
    // 0-23/2 includes 02:00, which does not exist in Berlin on 2026-03-29: it runs at 03:00 CEST.
    assert.deepEqual(local('0 0-23/2 * * *', 'Europe/Berlin', '2026-03-28T23:30:00Z', 2), [
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T04:00:00+02:00',
    ]);
    // And 02:00 repeated on 2026-10-25 runs once.
    assert.deepEqual(local('0 0-23/2 * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', 2), [
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T04:00:00+01:00',
    ]);
  });

  it('runs a job listed both in the gap and at its end only once', () => {
    assert.deepEqual(local('0 2,3 * * *', 'America/New_York', '2026-03-08T00:00:00Z', 2), [
      '2026-03-08T03:00:00-04:00',
      '2026-03-09T02:00:00-04:00',
    ]);
  });
});

describe('daylight saving: cron wildcard jobs fire on every real hour', () => {
  it('skips the missing hour and keeps hourly spacing across spring-forward', () => {
    assert.deepEqual(local('0 * * * *', 'America/New_York', '2026-03-08T04:30:00Z', 3), [
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
    ]);
  });

  it('fires in both passes of the repeated hour on fall-back', () => {
    assert.deepEqual(local('0 * * * *', 'America/New_York', '2026-11-01T03:30:00Z', 4), [
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00',
      '2026-11-01T02:00:00-05:00',
    ]);
    assert.deepEqual(local('*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:20:00Z', 5), [
      '2026-04-05T01:30:00+11:00',
      '2026-04-05T01:45:00+11:00',
      '2026-04-05T01:30:00+10:30',
      '2026-04-05T01:45:00+10:30',
      '2026-04-05T02:00:00+10:30',
    ]);
  });

  it('skips wildcard times inside the gap instead of moving them an hour later (as cron-parser does)', () => {
    assert.deepEqual(local('*/26 2 * * *', 'Europe/Berlin', '2029-03-24T21:39:36Z', 4), [
      '2029-03-26T02:00:00+02:00',
      '2029-03-26T02:26:00+02:00',
      '2029-03-26T02:52:00+02:00',
      '2029-03-27T02:00:00+02:00',
    ]);
  });

  it('fires every real minute across both transitions', () => {
    for (const [zone, from] of [
      ['America/New_York', '2026-03-08T06:55:00Z'],
      ['America/New_York', '2026-11-01T05:55:00Z'],
      ['Europe/Berlin', '2026-03-29T00:55:00Z'],
      ['Europe/Berlin', '2026-10-25T00:55:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:55:00Z'],
    ] as const) {
      const schedule = compileSchedule(parseSchedule('* * * * *'), { timezone: zone });
      const list = schedule.upcoming(Date.parse(from), 130);
      list.forEach((ms, i) => {
        if (i > 0)
          assert.equal(ms - (list[i - 1] as number), 60_000, `${zone} at ${new Date(ms).toISOString()}`);
      });
    }
  });
});

describe('daylight saving: systemd OnCalendar and AWS skip the gap and run a repeated time once', () => {
  function spec(fields: Partial<CalendarSpec>): CalendarSpec {
    const zero = { kind: 'list', items: [{ kind: 'value', value: 0 }] } as const;
    return {
      kind: 'calendar',
      syntax: 'systemd',
      source: 'test',
      second: zero,
      minute: zero,
      hour: { kind: 'any' },
      dayOfMonth: { kind: 'any' },
      month: { kind: 'any' },
      dayOfWeek: { kind: 'any' },
      year: { kind: 'any' },
      dayMatch: 'and',
      ...fields,
    };
  }
  const zone = 'America/New_York';
  const list = (s: CalendarSpec, from: string, n: number): string[] =>
    compileSchedule(s, { timezone: zone })
      .upcoming(Date.parse(from), n)
      .map((ms) => formatIsoInZone(ms, zone));

  it('does not run a systemd 02:30 timer on the spring-forward day', () => {
    const daily = spec({
      minute: { kind: 'list', items: [{ kind: 'value', value: 30 }] },
      hour: { kind: 'list', items: [{ kind: 'value', value: 2 }] },
    });
    assert.deepEqual(list(daily, '2026-03-07T12:00:00Z', 2), [
      '2026-03-09T02:30:00-04:00',
      '2026-03-10T02:30:00-04:00',
    ]);
  });

  it('runs a systemd hourly timer once in the repeated hour, as systemd does', () => {
    assert.deepEqual(list(spec({}), '2026-11-01T03:30:00Z', 3), [
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T02:00:00-05:00',
    ]);
  });

  it('keeps a systemd timer going after the gap', () => {
    assert.deepEqual(list(spec({}), '2026-03-08T05:30:00Z', 2), [
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
    ]);
  });

  it('skips an AWS cron() time in the gap and runs a repeated one once', () => {
    assert.deepEqual(local('cron(30 2 * * ? *)', zone, '2026-03-07T12:00:00Z', 2), [
      '2026-03-09T02:30:00-04:00',
      '2026-03-10T02:30:00-04:00',
    ]);
    assert.deepEqual(local('cron(30 1 * * ? *)', zone, '2026-10-31T12:00:00Z', 2), [
      '2026-11-01T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
    ]);
  });

  it('counts intervals in real time, ignoring the clock change', () => {
    assert.deepEqual(local('every 1h', zone, '2026-03-08T05:30:00Z', 3), [
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-03-08T04:00:00-04:00',
    ]);
  });
});

describe('dstPolicyOf: which cron jobs are fixed-time', () => {
  const policy = (expr: string): string => {
    const p = dstPolicyOf(parseSchedule(expr) as CalendarSpec);
    return `${p.gap}/${p.repeat}`;
  };

  it('treats jobs without * in second, minute and hour as fixed-time, as Vixie cron does', () => {
    assert.equal(policy('30 2 * * *'), 'shift/first');
    assert.equal(policy('@daily'), 'shift/first');
    assert.equal(policy('30 2,14 * * *'), 'shift/first');
    assert.equal(policy('0 0-23/2 * * *'), 'shift/first');
  });

  it('treats jobs with * or */n there as wildcard jobs', () => {
    assert.equal(policy('*/5 * * * *'), 'skip/both');
    assert.equal(policy('30 * * * *'), 'skip/both');
    assert.equal(policy('@hourly'), 'skip/both');
    assert.equal(policy('* 30 2 * * *'), 'skip/both');
    assert.equal(policy('0 */6 * * *'), 'skip/both');
  });

  it('gives systemd and AWS the skip-the-gap, run-once rule', () => {
    assert.equal(policy('cron(0 2 * * ? *)'), 'skip/first');
  });
});
