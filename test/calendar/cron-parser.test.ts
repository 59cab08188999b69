import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCron } from '../../src/calendar/cron-parser.ts';
import type { CalendarSpec } from '../../src/calendar/calendar-spec.ts';
import { assertCalendarError } from './assert-calendar-error.ts';

function calendar(text: string, options = {}): CalendarSpec {
  const spec = parseCron(text, options);
  assert.equal(spec.kind, 'calendar');
  return spec as CalendarSpec;
}

describe('parseCron: fields', () => {
  it('reads five fields with seconds fixed at 0 and any year', () => {
    const spec = calendar('5 4 * * *');
    assert.deepEqual(spec.second, { kind: 'list', items: [{ kind: 'value', value: 0 }] });
    assert.deepEqual(spec.minute, { kind: 'list', items: [{ kind: 'value', value: 5 }] });
    assert.deepEqual(spec.hour, { kind: 'list', items: [{ kind: 'value', value: 4 }] });
    assert.deepEqual(spec.dayOfMonth, { kind: 'any' });
    assert.deepEqual(spec.year, { kind: 'any' });
    assert.equal(spec.syntax, 'cron');
    assert.equal(spec.dayMatch, 'or');
    assert.equal(spec.source, '5 4 * * *');
  });

  it('reads six fields with seconds first', () => {
    const spec = calendar('*/10 0 12 * * *');
    assert.deepEqual(spec.second, {
      kind: 'list',
      items: [{ kind: 'range', start: 0, end: 59, step: 10, fromAny: true }],
    });
    assert.deepEqual(spec.minute, { kind: 'list', items: [{ kind: 'value', value: 0 }] });
  });

  it('reads ranges, steps, lists and start/step repetitions', () => {
    const spec = calendar('1-10/3,15,20/20 0-6 * * *');
    assert.deepEqual(spec.minute, {
      kind: 'list',
      items: [
        { kind: 'range', start: 1, end: 10, step: 3 },
        { kind: 'value', value: 15 },
        { kind: 'range', start: 20, end: 59, step: 20 },
      ],
    });
    assert.deepEqual(spec.hour, { kind: 'list', items: [{ kind: 'range', start: 0, end: 6, step: 1 }] });
  });

  it('reads month and weekday names in any case', () => {
    const spec = calendar('0 0 * jan-Mar,DEC mon-fri');
    assert.deepEqual(spec.month, {
      kind: 'list',
      items: [
        { kind: 'range', start: 1, end: 3, step: 1 },
        { kind: 'value', value: 12 },
      ],
    });
    assert.deepEqual(spec.dayOfWeek, { kind: 'list', items: [{ kind: 'range', start: 1, end: 5, step: 1 }] });
  });

  it('treats 7 as Sunday, also at the end of a range and as SUN after another weekday', () => {
    assert.deepEqual(calendar('0 0 * * 7').dayOfWeek, { kind: 'list', items: [{ kind: 'value', value: 0 }] });
    const friToSun = [
      { kind: 'range', start: 5, end: 6, step: 1 },
      { kind: 'value', value: 0 },
    ];
    assert.deepEqual(calendar('0 0 * * 5-7').dayOfWeek, { kind: 'list', items: friToSun });
    assert.deepEqual(calendar('0 0 * * FRI-SUN').dayOfWeek, { kind: 'list', items: friToSun });
  });

  it('reads ? as any in the day fields', () => {
    const spec = calendar('0 0 ? * MON');
    assert.deepEqual(spec.dayOfMonth, { kind: 'any' });
  });

  it('reads L, L-n, LW and nW in day-of-month', () => {
    assert.deepEqual(calendar('0 0 L,L-3,LW,15W * *').dayOfMonth, {
      kind: 'list',
      items: [
        { kind: 'last-day', offset: 0 },
        { kind: 'last-day', offset: 3 },
        { kind: 'last-weekday' },
        { kind: 'nearest-weekday', day: 15 },
      ],
    });
  });

  it('reads n#k and nL in day-of-week', () => {
    assert.deepEqual(calendar('0 0 * * 5#3,FRIL,7#1').dayOfWeek, {
      kind: 'list',
      items: [
        { kind: 'nth-weekday', weekday: 5, n: 3 },
        { kind: 'last-weekday-of-month', weekday: 5 },
        { kind: 'nth-weekday', weekday: 0, n: 1 },
      ],
    });
  });

  it('uses AND for the day fields when asked, or when day-of-week starts with +', () => {
    assert.equal(calendar('0 0 13 * 5', { dayMatch: 'and' }).dayMatch, 'and');
    assert.equal(calendar('0 0 13 * +5').dayMatch, 'and');
    assert.equal(calendar('0 0 13 * 5').dayMatch, 'or');
  });

  it('expands the shorthands and keeps their name', () => {
    const daily = calendar('@daily');
    assert.equal(daily.shorthand, '@daily');
    assert.deepEqual(daily.hour, { kind: 'list', items: [{ kind: 'value', value: 0 }] });
    assert.deepEqual(calendar('@WEEKLY').dayOfWeek, { kind: 'list', items: [{ kind: 'value', value: 0 }] });
    assert.deepEqual(calendar('@hourly').hour, { kind: 'any' });
    assert.deepEqual(calendar('@annually').month, calendar('@yearly').month);
    assert.deepEqual(calendar('@midnight').minute, calendar('@daily').minute);
    assert.deepEqual(calendar('@monthly').dayOfMonth, { kind: 'list', items: [{ kind: 'value', value: 1 }] });
  });

  it('reports @reboot as a start-up trigger', () => {
    assert.deepEqual(parseCron('@reboot'), { kind: 'startup', syntax: 'cron', source: '@reboot' });
  });

  it('reads a CRON_TZ= or TZ= prefix and validates the zone', () => {
    assert.equal(calendar('CRON_TZ=Europe/Berlin 0 2 * * *').timezone, 'Europe/Berlin');
    assert.equal(calendar('TZ=America/New_York @daily').timezone, 'America/New_York');
  });
});

describe('parseCron: errors name the field, the token, what was expected and where', () => {
  it('rejects a value out of range', () => {
    assertCalendarError(() => parseCron('61 * * * *'), {
      position: 0,
      message: /^minute field: "61" is out of range 0-59$/,
    });
    assertCalendarError(() => parseCron('0 24 * * *'), {
      position: 2,
      message: /^hour field: "24" is out of range 0-23$/,
    });
    assertCalendarError(() => parseCron('0 0 32 * *'), {
      position: 4,
      message: /day-of-month field: "32" is out of range 1-31/,
    });
    assertCalendarError(() => parseCron('0 0 * 13 *'), {
      position: 6,
      message: /month field: "13" is out of range 1-12/,
    });
    assertCalendarError(() => parseCron('0 0 * * 8'), {
      position: 8,
      message: /day-of-week field: "8" is out of range 0-7/,
    });
    assertCalendarError(() => parseCron('60 0 0 * * *'), {
      position: 0,
      message: /second field: "60" is out of range/,
    });
  });

  it('rejects an unknown name', () => {
    assertCalendarError(() => parseCron('0 0 * FOO *'), {
      position: 6,
      message: /month field: "FOO" is not valid; expected 1-12 or JAN-DEC/,
    });
    assertCalendarError(() => parseCron('0 0 * * MON-XYZ'), {
      position: 12,
      message: /day-of-week field: "XYZ" is not valid/,
    });
  });

  it('rejects a reversed range', () => {
    assertCalendarError(() => parseCron('0 5-1 * * *'), {
      position: 2,
      message: /hour field: range "5-1" starts after it ends/,
    });
  });

  it('rejects bad steps', () => {
    assertCalendarError(() => parseCron('*/0 * * * *'), {
      position: 2,
      message: /minute field: step "0" is out of range 1-60/,
    });
    assertCalendarError(() => parseCron('*/x * * * *'), {
      position: 2,
      message: /minute field: step "x" in "\*\/x" is not a number/,
    });
    assertCalendarError(() => parseCron('0 */25 * * *'), {
      position: 4,
      message: /hour field: step "25" is out of range 1-24/,
    });
    assertCalendarError(() => parseCron('/5 * * * *'), {
      position: 0,
      message: /has a step but nothing to step over/,
    });
  });

  it('rejects empty list items and open ranges', () => {
    assertCalendarError(() => parseCron('1,,2 * * * *'), {
      position: 2,
      message: /minute field: empty list item/,
    });
    assertCalendarError(() => parseCron('1- * * * *'), { position: 2, message: /range "1-" has no end/ });
  });

  it('rejects ? outside the day fields', () => {
    assertCalendarError(() => parseCron('? * * * *'), {
      position: 0,
      message: /minute field: "\?" is only allowed/,
    });
  });

  it('rejects bad L, W and # forms', () => {
    assertCalendarError(() => parseCron('0 0 L-31 * *'), {
      position: 6,
      message: /"31" in "L-31" is out of range 0-30/,
    });
    assertCalendarError(() => parseCron('0 0 32W * *'), {
      position: 4,
      message: /"32" in "32W" is out of range 1-31/,
    });
    assertCalendarError(() => parseCron('0 0 * * 5#6'), {
      position: 10,
      message: /occurrence "6" in "5#6" is out of range 1-5/,
    });
    assertCalendarError(() => parseCron('0 0 * * 9#1'), {
      position: 8,
      message: /day-of-week field: "9" is out of range 0-7/,
    });
    assertCalendarError(() => parseCron('0 0 * * L'), {
      position: 8,
      message: /day-of-week field: "L" is not valid/,
    });
    assertCalendarError(() => parseCron('0 0 * * +'), {
      position: 9,
      message: /"\+" must be followed by weekdays/,
    });
  });

  it('rejects the wrong number of fields', () => {
    assertCalendarError(() => parseCron('0 0 * *'), { position: 7, message: /expected 5 fields .* found 4/ });
    assertCalendarError(() => parseCron('0 0 * * * * 2026'), { position: 12, message: /unexpected "2026"/ });
    assertCalendarError(() => parseCron('   '), { position: 0, message: /the expression is empty/ });
  });

  it('rejects unknown shorthands and text after a shorthand', () => {
    assertCalendarError(() => parseCron('@fortnightly'), {
      position: 0,
      message: /"@fortnightly" is not a shorthand/,
    });
    assertCalendarError(() => parseCron('@daily 5'), { position: 7, message: /unexpected "5" after @daily/ });
  });

  it('rejects an unknown or missing time zone', () => {
    assertCalendarError(() => parseCron('CRON_TZ=Mars/Olympus 0 0 * * *'), {
      position: 8,
      message: /"Mars\/Olympus" is not a known IANA zone/,
    });
    assertCalendarError(() => parseCron('TZ= 0 0 * * *'), {
      position: 3,
      message: /TZ= needs a time zone name/,
    });
    assertCalendarError(() => parseCron('CRON_TZ=UTC'), {
      position: 11,
      message: /expected a schedule after CRON_TZ=UTC/,
    });
  });
});
