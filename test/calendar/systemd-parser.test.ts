import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CalendarSpec, Field } from '../../src/calendar/calendar-spec.ts';
import { parseSystemdCalendar } from '../../src/calendar/systemd-parser.ts';

const ANY = { kind: 'any' } as const;
const list = (...items: object[]): object => ({ kind: 'list', items });
const values = (...numbers: number[]): Field => ({
  kind: 'list',
  items: numbers.map((value) => ({ kind: 'value', value })),
});

/** The fields of a spec, without source, syntax and kind, for compact comparisons. */
function fieldsOf(spec: CalendarSpec): Partial<CalendarSpec> {
  const { kind: _kind, syntax: _syntax, source: _source, ...fields } = spec;
  return fields;
}

describe('parseSystemdCalendar', () => {
  it('reads weekdays, a full date and a time into one AND-matched spec', () => {
    const spec = parseSystemdCalendar('Mon..Fri *-*-* 02:00');
    assert.equal(spec.kind, 'calendar');
    assert.equal(spec.syntax, 'systemd');
    assert.equal(spec.source, 'Mon..Fri *-*-* 02:00');
    assert.deepEqual(fieldsOf(spec), {
      second: values(0),
      minute: values(0),
      hour: values(2),
      dayOfMonth: ANY,
      month: ANY,
      dayOfWeek: { kind: 'list', items: [{ kind: 'range', start: 1, end: 5, step: 1 }] },
      year: ANY,
      dayMatch: 'and',
    });
  });

  it('fills in what systemd fills in: midnight without a time, every day without a date, :00 without seconds', () => {
    const dateOnly = parseSystemdCalendar('2026-12-25');
    assert.deepEqual([dateOnly.hour, dateOnly.minute, dateOnly.second], [values(0), values(0), values(0)]);
    assert.deepEqual(
      [dateOnly.year, dateOnly.month, dateOnly.dayOfMonth],
      [values(2026), values(12), values(25)],
    );
    const timeOnly = parseSystemdCalendar('12:30');
    assert.deepEqual([timeOnly.year, timeOnly.month, timeOnly.dayOfMonth], [ANY, ANY, ANY]);
    assert.deepEqual([timeOnly.hour, timeOnly.minute, timeOnly.second], [values(12), values(30), values(0)]);
    const weekdayOnly = parseSystemdCalendar('Sun');
    assert.deepEqual([weekdayOnly.dayOfWeek, weekdayOnly.hour], [values(0), values(0)]);
    const monthDay = parseSystemdCalendar('12-25 06:00');
    assert.deepEqual([monthDay.year, monthDay.month, monthDay.dayOfMonth], [ANY, values(12), values(25)]);
  });

  it('expands every shorthand the way systemd does and remembers the name', () => {
    const cases: [string, Partial<CalendarSpec>][] = [
      ['minutely', { second: values(0), minute: ANY, hour: ANY }],
      ['hourly', { second: values(0), minute: values(0), hour: ANY }],
      ['daily', { second: values(0), minute: values(0), hour: values(0), dayOfMonth: ANY }],
      ['weekly', { hour: values(0), dayOfWeek: values(1) }],
      ['monthly', { hour: values(0), dayOfMonth: values(1), month: ANY }],
      ['yearly', { dayOfMonth: values(1), month: values(1) }],
      ['annually', { dayOfMonth: values(1), month: values(1) }],
      ['quarterly', { dayOfMonth: values(1), month: values(1, 4, 7, 10) }],
      ['semiannually', { dayOfMonth: values(1), month: values(1, 7) }],
      ['semi-annually', { dayOfMonth: values(1), month: values(1, 7) }],
      ['biannually', { dayOfMonth: values(1), month: values(1, 7) }],
    ];
    for (const [text, expected] of cases) {
      const spec = parseSystemdCalendar(text);
      assert.equal(spec.shorthand, text);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(spec[key as keyof CalendarSpec], value, `${text}: ${key}`);
      }
    }
    assert.equal(parseSystemdCalendar('DAILY').shorthand, 'daily');
    assert.equal(parseSystemdCalendar('Mon 00:00').shorthand, undefined);
  });

  it('reads weekday names short or long in any case, lists, ranges and the old dash range', () => {
    const weekdays = (text: string): unknown => parseSystemdCalendar(text).dayOfWeek;
    assert.deepEqual(weekdays('monday..FRIDAY'), weekdays('Mon..Fri'));
    assert.deepEqual(weekdays('Mon-Fri'), weekdays('Mon..Fri'));
    assert.deepEqual(weekdays('Sat,Sun'), values(0, 6));
    assert.deepEqual(weekdays('Sat..Sun'), values(0, 6));
    assert.deepEqual(
      weekdays('Fri..Sun 12:00'),
      list({ kind: 'value', value: 0 }, { kind: 'range', start: 5, end: 6, step: 1 }),
    );
    assert.deepEqual(
      weekdays('Mon,Wed,Thu,'),
      list({ kind: 'value', value: 1 }, { kind: 'range', start: 3, end: 4, step: 1 }),
    );
    assert.deepEqual(weekdays('Mon..Sun'), ANY);
  });

  it('reads lists, ranges and repetitions, normalised as systemd normalises them', () => {
    assert.deepEqual(
      parseSystemdCalendar('*-*-1..11/3').dayOfMonth,
      list({ kind: 'range', start: 1, end: 10, step: 3 }),
    );
    assert.deepEqual(parseSystemdCalendar('*-*-5..5').dayOfMonth, values(5));
    assert.deepEqual(parseSystemdCalendar('*-*-1..3/5').dayOfMonth, values(1));
    assert.deepEqual(parseSystemdCalendar('5,1,5:00').hour, values(1, 5));
    assert.deepEqual(parseSystemdCalendar('*:00/15').minute, list({ kind: 'repeat', start: 0, step: 15 }));
    assert.deepEqual(parseSystemdCalendar('*-1/3-1').month, list({ kind: 'repeat', start: 1, step: 3 }));
    assert.deepEqual(
      parseSystemdCalendar('9..17:00').hour,
      list({ kind: 'range', start: 9, end: 17, step: 1 }),
    );
  });

  it('reads two-digit years as systemd does: 00-69 are 20xx, 70-99 are 19xx', () => {
    assert.deepEqual(parseSystemdCalendar('26-1-1').year, values(2026));
    assert.deepEqual(parseSystemdCalendar('69-1-1').year, values(2069));
    assert.deepEqual(parseSystemdCalendar('89-1-1').year, values(1989));
    assert.deepEqual(
      parseSystemdCalendar('20..30-1-1').year,
      list({ kind: 'range', start: 2020, end: 2030, step: 1 }),
    );
  });

  it('reads ~ as days counted from the end of the month, 1 being the last day', () => {
    assert.deepEqual(parseSystemdCalendar('*-02~03').dayOfMonth, list({ kind: 'from-end', start: 3 }));
    assert.deepEqual(
      parseSystemdCalendar('*-05~07/1').dayOfMonth,
      list({ kind: 'from-end', start: 7, step: 1 }),
    );
    assert.deepEqual(
      parseSystemdCalendar('*-*~1..5').dayOfMonth,
      list({ kind: 'from-end', start: 5, end: 1 }),
    );
    // systemd pulls the range end onto the last step: ~1..6/2 is the 1st, 3rd and 5th last days.
    assert.deepEqual(
      parseSystemdCalendar('*-*~1..6/2').dayOfMonth,
      list({ kind: 'from-end', start: 5, end: 1, step: 2 }),
    );
    assert.deepEqual(parseSystemdCalendar('*-02~*').dayOfMonth, ANY);
  });

  it('keeps fractional seconds as microseconds beside the whole seconds', () => {
    const half = parseSystemdCalendar('12:00:01.5');
    assert.deepEqual([half.second, half.microsecond], [values(1), values(500_000)]);
    assert.deepEqual(parseSystemdCalendar('*:*:1.1234567').microsecond, values(123_457));
    const every = parseSystemdCalendar('*:*:00/0.5');
    assert.deepEqual(
      [every.second, every.microsecond],
      [ANY, list({ kind: 'repeat', start: 0, step: 500_000 })],
    );
    assert.equal(parseSystemdCalendar('*:*:*').microsecond, undefined);
    assert.deepEqual(parseSystemdCalendar('*:*:*').second, ANY);
  });

  it('keeps seconds that are no product of whole seconds and one fraction as microseconds of the minute', () => {
    const spec = parseSystemdCalendar('*:*:00/1.5');
    assert.deepEqual(spec.second, ANY);
    assert.equal(spec.microsecond, undefined);
    assert.deepEqual(spec.microsecondOfMinute, list({ kind: 'repeat', start: 0, step: 1_500_000 }));
    assert.deepEqual(parseSystemdCalendar('*:*:01.5,02').microsecondOfMinute, values(1_500_000, 2_000_000));
  });

  it('takes a UTC suffix in any case and an IANA zone after the last space', () => {
    assert.equal(parseSystemdCalendar('daily UTC').timezone, 'UTC');
    assert.equal(parseSystemdCalendar('daily utc').timezone, 'UTC');
    assert.equal(parseSystemdCalendar('*-*-* 02:00 Europe/Berlin').timezone, 'Europe/Berlin');
    assert.equal(parseSystemdCalendar('Mon America/New_York').timezone, 'America/New_York');
    assert.equal(parseSystemdCalendar('daily').timezone, undefined);
  });

  it('reads @seconds as one instant in UTC, whatever zone follows', () => {
    const spec = parseSystemdCalendar('@1700000000 Europe/Berlin');
    assert.equal(spec.timezone, 'UTC');
    assert.deepEqual(
      [spec.year, spec.month, spec.dayOfMonth, spec.hour, spec.minute, spec.second],
      [values(2023), values(11), values(14), values(22), values(13), values(20)],
    );
  });

  it('allows the spaces systemd allows: several between parts, trailing ones after a weekday or date', () => {
    assert.deepEqual(
      fieldsOf(parseSystemdCalendar('Mon  12:00')),
      fieldsOf(parseSystemdCalendar('Mon 12:00')),
    );
    assert.deepEqual(fieldsOf(parseSystemdCalendar('Mon ')), fieldsOf(parseSystemdCalendar('Mon')));
    assert.deepEqual(fieldsOf(parseSystemdCalendar('*-*-*  ')), fieldsOf(parseSystemdCalendar('*-*-*')));
  });
});
