import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAws } from '../../src/calendar/aws-parser.ts';
import type { CalendarSpec } from '../../src/calendar/calendar-spec.ts';
import { assertCalendarError } from './assert-calendar-error.ts';

function calendar(text: string): CalendarSpec {
  const spec = parseAws(text);
  assert.equal(spec.kind, 'calendar');
  return spec as CalendarSpec;
}

describe('parseAws: cron()', () => {
  it('reads six fields with AND days and the year', () => {
    const spec = calendar('cron(0 12 * * ? 2026-2030)');
    assert.equal(spec.syntax, 'aws');
    assert.equal(spec.dayMatch, 'and');
    assert.deepEqual(spec.dayOfWeek, { kind: 'any' });
    assert.deepEqual(spec.year, {
      kind: 'list',
      items: [{ kind: 'range', start: 2026, end: 2030, step: 1 }],
    });
  });

  it('numbers weekdays 1-7 from Sunday and renumbers them 0-6', () => {
    assert.deepEqual(calendar('cron(0 8 ? * 2-6 *)').dayOfWeek, {
      kind: 'list',
      items: [{ kind: 'range', start: 1, end: 5, step: 1 }],
    });
    assert.deepEqual(calendar('cron(0 8 ? * SUN,SAT *)').dayOfWeek, {
      kind: 'list',
      items: [
        { kind: 'value', value: 0 },
        { kind: 'value', value: 6 },
      ],
    });
  });

  it('reads L, W, # and L alone in day-of-week as Saturday', () => {
    assert.deepEqual(calendar('cron(0 0 L * ? *)').dayOfMonth, {
      kind: 'list',
      items: [{ kind: 'last-day', offset: 0 }],
    });
    assert.deepEqual(calendar('cron(0 0 3W * ? *)').dayOfMonth, {
      kind: 'list',
      items: [{ kind: 'nearest-weekday', day: 3 }],
    });
    assert.deepEqual(calendar('cron(0 0 ? * 6#3 *)').dayOfWeek, {
      kind: 'list',
      items: [{ kind: 'nth-weekday', weekday: 5, n: 3 }],
    });
    assert.deepEqual(calendar('cron(0 0 ? * L *)').dayOfWeek, {
      kind: 'list',
      items: [{ kind: 'value', value: 6 }],
    });
  });

  it('requires exactly one of day-of-month and day-of-week to be ?', () => {
    assertCalendarError(() => parseAws('cron(0 12 * * * *)'), {
      position: 14,
      message: /one of day-of-month \("\*"\) and day-of-week \("\*"\) must be "\?"/,
    });
    assertCalendarError(() => parseAws('cron(0 12 ? * ? *)'), { position: 14, message: /both "\?"/ });
  });

  it('rejects weekdays outside 1-7, years outside 1970-2199 and a wrong field count', () => {
    assertCalendarError(() => parseAws('cron(0 12 ? * 0 *)'), {
      position: 14,
      message: /day-of-week field: "0" is out of range 1-7/,
    });
    assertCalendarError(() => parseAws('cron(0 12 * * ? 2200)'), {
      position: 16,
      message: /year field: "2200" is out of range 1970-2199/,
    });
    assertCalendarError(() => parseAws('cron(0 12 * * ?)'), {
      position: 15,
      message: /needs 6 fields .* found 5/,
    });
  });

  it('rejects an unclosed or trailing parenthesis and other functions', () => {
    assertCalendarError(() => parseAws('cron(0 12 * * ? *'), {
      position: 17,
      message: /cron\( is not closed/,
    });
    assertCalendarError(() => parseAws('cron(0 12 * * ? *) x'), {
      position: 19,
      message: /unexpected "x" after "\)"/,
    });
    assertCalendarError(() => parseAws('at(2026-01-01T00:00:00)'), {
      position: 0,
      message: /expected cron\(/,
    });
  });
});

describe('parseAws: rate()', () => {
  it('reads singular for 1 and plural otherwise', () => {
    assert.deepEqual(parseAws('rate(1 minute)'), {
      kind: 'interval',
      syntax: 'aws',
      source: 'rate(1 minute)',
      everyMs: 60_000,
      anchorMs: 0,
    });
    assert.equal((parseAws('rate(5 minutes)') as { everyMs: number }).everyMs, 300_000);
    assert.equal((parseAws('rate(2 hours)') as { everyMs: number }).everyMs, 7_200_000);
    assert.equal((parseAws('rate(1 day)') as { everyMs: number }).everyMs, 86_400_000);
  });

  it('rejects a plural unit for 1 and a singular unit for more', () => {
    assertCalendarError(() => parseAws('rate(1 minutes)'), { position: 7, message: /AWS requires "minute"/ });
    assertCalendarError(() => parseAws('rate(5 minute)'), { position: 7, message: /AWS requires "minutes"/ });
  });

  it('rejects a zero or non-numeric value, an unknown unit and extra words', () => {
    assertCalendarError(() => parseAws('rate(0 minutes)'), {
      position: 5,
      message: /"0" is not a positive whole number/,
    });
    assertCalendarError(() => parseAws('rate(x minutes)'), {
      position: 5,
      message: /"x" is not a positive whole number/,
    });
    assertCalendarError(() => parseAws('rate(5 seconds)'), {
      position: 7,
      message: /"seconds" is not valid; expected minute\(s\), hour\(s\) or day\(s\)/,
    });
    assertCalendarError(() => parseAws('rate(5 minutes now)'), { position: 15, message: /unexpected "now"/ });
    assertCalendarError(() => parseAws('rate(5)'), { position: 5, message: /needs a value and a unit/ });
  });
});
