import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchedule } from '../../src/calendar/compile-schedule.ts';
import { parseSchedule } from '../../src/calendar/parse-schedule.ts';
import type { CalendarSpec } from '../../src/calendar/calendar-spec.ts';
import { CronplaneError } from '../../src/errors/index.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function elapses(expr: string, from: string, count: number, timezone = 'UTC'): (string | null)[] {
  const schedule = compileSchedule(parseSchedule(expr), { timezone });
  return schedule.upcoming(at(from), count).map(iso);
}

function everySecondSpec(extra: Partial<CalendarSpec>): CalendarSpec {
  return {
    kind: 'calendar',
    syntax: 'systemd',
    source: 'test',
    second: { kind: 'any' },
    minute: { kind: 'any' },
    hour: { kind: 'any' },
    dayOfMonth: { kind: 'any' },
    month: { kind: 'any' },
    dayOfWeek: { kind: 'any' },
    year: { kind: 'any' },
    dayMatch: 'and',
    ...extra,
  };
}

describe('compileSchedule: next() and previous() in UTC', () => {
  it('returns the first elapse strictly after the instant', () => {
    const schedule = compileSchedule(parseSchedule('0 2 * * *'));
    assert.equal(iso(schedule.next(at('2026-03-01T02:00:00Z'))), '2026-03-02T02:00:00.000Z');
    assert.equal(iso(schedule.next(at('2026-03-01T01:59:59.999Z'))), '2026-03-01T02:00:00.000Z');
  });

  it('returns the last elapse strictly before the instant', () => {
    const schedule = compileSchedule(parseSchedule('0 2 * * *'));
    assert.equal(iso(schedule.previous(at('2026-03-01T02:00:00Z'))), '2026-02-28T02:00:00.000Z');
    assert.equal(iso(schedule.previous(at('2026-03-01T02:00:00.001Z'))), '2026-03-01T02:00:00.000Z');
  });

  it('fires every minute and every few seconds', () => {
    assert.deepEqual(elapses('* * * * *', '2026-12-31T23:58:30Z', 3), [
      '2026-12-31T23:59:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-01-01T00:01:00.000Z',
    ]);
    assert.deepEqual(elapses('*/20 * * * * *', '2026-01-01T00:00:00Z', 3), [
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });

  it('finds Feb 29 in leap years only', () => {
    assert.deepEqual(elapses('0 0 29 2 *', '2026-01-01T00:00:00Z', 3), [
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
      '2036-02-29T00:00:00.000Z',
    ]);
    assert.deepEqual(elapses('0 0 29 2 *', '2096-03-01T00:00:00Z', 1), ['2104-02-29T00:00:00.000Z']);
  });

  it('fires on the last day of 30-day, 31-day and February months', () => {
    assert.deepEqual(elapses('0 0 L * *', '2026-01-15T00:00:00Z', 5), [
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-04-30T00:00:00.000Z',
      '2026-05-31T00:00:00.000Z',
    ]);
    assert.deepEqual(elapses('0 0 L-1 2 *', '2027-06-01T00:00:00Z', 2), [
      '2028-02-28T00:00:00.000Z',
      '2029-02-27T00:00:00.000Z',
    ]);
  });

  it('fires on the weekday nearest to a day without leaving the month', () => {
    // 2026-08-01 is a Saturday: 1W is Monday the 3rd, not Friday July 31.
    assert.deepEqual(elapses('0 0 1W 8 *', '2026-01-01T00:00:00Z', 1), ['2026-08-03T00:00:00.000Z']);
    // 2026-05-31 is a Sunday: 31W is Friday the 29th, not Monday June 1.
    assert.deepEqual(elapses('0 0 31W 5 *', '2026-01-01T00:00:00Z', 1), ['2026-05-29T00:00:00.000Z']);
    // 2026-02-15 is a Sunday: 15W is Monday the 16th; 2026-08-15 is a Saturday: Friday the 14th.
    assert.deepEqual(elapses('0 0 15W 2,8 *', '2026-01-01T00:00:00Z', 2), [
      '2026-02-16T00:00:00.000Z',
      '2026-08-14T00:00:00.000Z',
    ]);
    // 31W never fires in a 30-day month.
    assert.deepEqual(elapses('0 0 31W 4 *', '2026-01-01T00:00:00Z', 1), [null].slice(1));
  });

  it('fires on the last weekday of the month (LW)', () => {
    // 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
    assert.deepEqual(elapses('0 0 LW 1,5 *', '2026-01-01T00:00:00Z', 2), [
      '2026-01-30T00:00:00.000Z',
      '2026-05-29T00:00:00.000Z',
    ]);
  });

  it('fires on the fifth Friday only in months that have one', () => {
    assert.deepEqual(elapses('0 0 * * 5#5', '2026-01-01T00:00:00Z', 4), [
      '2026-01-30T00:00:00.000Z',
      '2026-05-29T00:00:00.000Z',
      '2026-07-31T00:00:00.000Z',
      '2026-10-30T00:00:00.000Z',
    ]);
  });

  it('fires on the last Friday of the month', () => {
    assert.deepEqual(elapses('0 0 * * 5L', '2026-02-01T00:00:00Z', 2), [
      '2026-02-27T00:00:00.000Z',
      '2026-03-27T00:00:00.000Z',
    ]);
  });

  it('counts systemd ~ days from the end of February', () => {
    const spec = everySecondSpec({
      second: { kind: 'list', items: [{ kind: 'value', value: 0 }] },
      minute: { kind: 'list', items: [{ kind: 'value', value: 0 }] },
      hour: { kind: 'list', items: [{ kind: 'value', value: 0 }] },
      month: { kind: 'list', items: [{ kind: 'value', value: 2 }] },
      dayOfMonth: { kind: 'list', items: [{ kind: 'from-end', start: 3 }] },
    });
    const schedule = compileSchedule(spec);
    assert.deepEqual(schedule.upcoming(at('2026-01-01T00:00:00Z'), 3).map(iso), [
      '2026-02-26T00:00:00.000Z',
      '2027-02-26T00:00:00.000Z',
      '2028-02-27T00:00:00.000Z',
    ]);
    const lastThree = compileSchedule({
      ...spec,
      dayOfMonth: { kind: 'list', items: [{ kind: 'from-end', start: 3, end: 1 }] },
    });
    assert.deepEqual(lastThree.upcoming(at('2028-01-01T00:00:00Z'), 3).map(iso), [
      '2028-02-27T00:00:00.000Z',
      '2028-02-28T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('joins restricted day fields with OR, as Vixie cron does', () => {
    // 13th of the month or a Friday.
    assert.deepEqual(elapses('0 0 13 * 5', '2026-03-01T00:00:00Z', 4), [
      '2026-03-06T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
      '2026-03-20T00:00:00.000Z',
      '2026-03-27T00:00:00.000Z',
    ]);
    assert.deepEqual(elapses('0 0 13 * 5', '2026-04-01T00:00:00Z', 2), [
      '2026-04-03T00:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
    ]);
  });

  it('joins the day fields with AND when one starts with *, as Vixie cron and cronie do', () => {
    // */2 is odd days; with Monday: odd-numbered Mondays only (croner and cron-parser take the union).
    assert.deepEqual(elapses('0 0 */2 * 1', '2026-03-01T00:00:00Z', 3), [
      '2026-03-09T00:00:00.000Z',
      '2026-03-23T00:00:00.000Z',
      '2026-04-13T00:00:00.000Z',
    ]);
  });

  it('joins the day fields with AND when asked', () => {
    // Friday the 13th.
    assert.deepEqual(elapses('0 0 13 * +5', '2026-01-01T00:00:00Z', 2), [
      '2026-02-13T00:00:00.000Z',
      '2026-03-13T00:00:00.000Z',
    ]);
  });

  it('skips years quickly for sparse sets: Feb 29 that is a Monday', () => {
    assert.deepEqual(elapses('0 0 29 2 +1', '2026-01-01T00:00:00Z', 2), [
      '2044-02-29T00:00:00.000Z',
      '2072-02-29T00:00:00.000Z',
    ]);
    assert.deepEqual(elapses('0 0 29 2 +1', '2026-01-01T00:00:00Z', 2, 'Europe/Berlin'), [
      '2044-02-28T23:00:00.000Z',
      '2072-02-28T23:00:00.000Z',
    ]);
  });

  it('returns null for impossible sets instead of looping', () => {
    for (const expr of ['0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 0 L-30 2 *', 'cron(0 0 30 2 ? *)']) {
      const schedule = compileSchedule(parseSchedule(expr), { timezone: 'America/New_York' });
      assert.equal(schedule.next(at('2026-01-01T00:00:00Z')), null, expr);
      assert.equal(schedule.previous(at('2026-01-01T00:00:00Z')), null, expr);
    }
  });

  it('honours the AWS year field and stops after it', () => {
    const past = compileSchedule(parseSchedule('cron(0 0 1 1 ? 1999)'), { timezone: 'America/New_York' });
    assert.equal(past.next(at('2026-01-01T00:00:00Z')), null);
    assert.equal(iso(past.previous(at('2026-01-01T00:00:00Z'))), '1999-01-01T05:00:00.000Z');
    const schedule = compileSchedule(parseSchedule('cron(0 0 1 1 ? 2030,2032)'));
    assert.deepEqual(schedule.upcoming(at('2026-01-01T00:00:00Z'), 5).map(iso), [
      '2030-01-01T00:00:00.000Z',
      '2032-01-01T00:00:00.000Z',
    ]);
    assert.equal(iso(schedule.previous(at('2040-01-01T00:00:00Z'))), '2032-01-01T00:00:00.000Z');
  });

  it('ends at 2199 and begins at 1970', () => {
    const schedule = compileSchedule(parseSchedule('0 0 1 1 *'));
    assert.equal(iso(schedule.next(at('2199-06-01T00:00:00Z'))), null);
    assert.equal(iso(schedule.next(at('1900-06-01T00:00:00Z'))), '1970-01-01T00:00:00.000Z');
    assert.equal(schedule.previous(at('1970-01-01T00:00:00Z')), null);
    assert.equal(iso(schedule.previous(at('2300-01-01T00:00:00Z'))), '2199-01-01T00:00:00.000Z');
  });

  it('honours sub-second elapses', () => {
    const half = compileSchedule(
      everySecondSpec({ microsecond: { kind: 'list', items: [{ kind: 'value', value: 500_000 }] } }),
    );
    assert.deepEqual(half.upcoming(at('2026-01-01T00:00:00Z'), 3).map(iso), [
      '2026-01-01T00:00:00.500Z',
      '2026-01-01T00:00:01.500Z',
      '2026-01-01T00:00:02.500Z',
    ]);
    assert.equal(iso(half.previous(at('2026-01-01T00:00:00.500Z'))), '2025-12-31T23:59:59.500Z');
    // systemd *:*:00/1.5: every 1.5 s from the start of each minute.
    const onePointFive = compileSchedule(
      everySecondSpec({
        microsecondOfMinute: { kind: 'list', items: [{ kind: 'repeat', start: 0, step: 1_500_000 }] },
      }),
    );
    assert.deepEqual(onePointFive.upcoming(at('2026-01-01T00:00:57Z'), 4).map(iso), [
      '2026-01-01T00:00:58.500Z',
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:01:01.500Z',
      '2026-01-01T00:01:03.000Z',
    ]);
    assert.equal(iso(onePointFive.previous(at('2026-01-01T00:01:00Z'))), '2026-01-01T00:00:58.500Z');
  });
});

describe('compileSchedule: intervals and start-up triggers', () => {
  it('counts fixed periods from the anchor', () => {
    const schedule = compileSchedule(parseSchedule('every 30s'));
    assert.equal(iso(schedule.next(at('2026-01-01T00:00:10Z'))), '2026-01-01T00:00:30.000Z');
    assert.equal(iso(schedule.next(at('2026-01-01T00:00:30Z'))), '2026-01-01T00:01:00.000Z');
    assert.equal(iso(schedule.previous(at('2026-01-01T00:00:30Z'))), '2026-01-01T00:00:00.000Z');
    const offset = compileSchedule(parseSchedule('every 1h at :15'), { timezone: 'Asia/Kolkata' });
    assert.equal(iso(offset.next(at('2026-01-01T00:20:00Z'))), '2026-01-01T01:15:00.000Z');
    const rate = compileSchedule(parseSchedule('rate(5 minutes)'));
    assert.equal(iso(rate.next(at('2026-01-01T00:01:00Z'))), '2026-01-01T00:05:00.000Z');
  });

  it('never elapses from the calendar for @reboot', () => {
    const schedule = compileSchedule(parseSchedule('@reboot'));
    assert.equal(schedule.next(0), null);
    assert.equal(schedule.previous(Date.now()), null);
    assert.deepEqual(schedule.upcoming(0, 3), []);
  });
});

describe('compileSchedule: zones and conveniences', () => {
  it('uses the zone of the expression over the option, and UTC by default', () => {
    assert.equal(
      compileSchedule(parseSchedule('CRON_TZ=Asia/Tokyo 0 9 * * *'), { timezone: 'Europe/Berlin' }).timezone,
      'Asia/Tokyo',
    );
    assert.equal(
      compileSchedule(parseSchedule('0 9 * * *'), { timezone: 'Europe/Berlin' }).timezone,
      'Europe/Berlin',
    );
    assert.equal(compileSchedule(parseSchedule('0 9 * * *')).timezone, 'UTC');
    assert.deepEqual(elapses('CRON_TZ=Asia/Tokyo 0 9 * * *', '2025-12-31T12:00:00Z', 1), [
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  it('evaluates wall-clock times in zones with odd offsets', () => {
    assert.deepEqual(elapses('0 9 * * *', '2026-01-01T00:00:00Z', 1, 'Asia/Kathmandu'), [
      '2026-01-01T03:15:00.000Z',
    ]);
    assert.deepEqual(elapses('0 9 * * *', '2026-01-01T00:00:00Z', 1, 'America/St_Johns'), [
      '2026-01-01T12:30:00.000Z',
    ]);
  });

  it('rejects an unknown zone with calendar.invalid', () => {
    assert.throws(
      () => compileSchedule(parseSchedule('0 0 * * *'), { timezone: 'Nowhere/Land' }),
      (error: unknown) =>
        error instanceof CronplaneError &&
        error.code === 'calendar.invalid' &&
        /Nowhere\/Land/.test(error.message),
    );
  });

  it('offers Date conveniences', () => {
    const schedule = compileSchedule(parseSchedule('0 12 * * *'));
    assert.equal(
      schedule.nextDate(new Date('2026-01-01T00:00:00Z'))?.toISOString(),
      '2026-01-01T12:00:00.000Z',
    );
    assert.equal(
      schedule.previousDate(new Date('2026-01-01T00:00:00Z'))?.toISOString(),
      '2025-12-31T12:00:00.000Z',
    );
    assert.throws(() => schedule.nextDate(new Date(Number.NaN)), RangeError);
  });
});
