import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseSystemdCalendar } from '../../src/calendar/systemd-parser.ts';
import { CronplaneError } from '../../src/errors/index.ts';

/** Asserts a located `calendar.invalid` error at `position` whose message matches `pattern`. */
function assertRefused(text: string, position: number, pattern: RegExp): void {
  assert.throws(
    () => parseSystemdCalendar(text),
    (error: unknown) => {
      assert.ok(error instanceof CronplaneError, `${JSON.stringify(text)} threw ${String(error)}`);
      assert.equal(error.code, 'calendar.invalid', JSON.stringify(text));
      assert.equal(error.location?.position, position, `${JSON.stringify(text)}: ${error.message}`);
      assert.match(error.message, pattern, JSON.stringify(text));
      assert.match(error.message, new RegExp(`at position ${position}; expected `));
      return true;
    },
  );
}

describe('parseSystemdCalendar errors', () => {
  it('refuses an empty expression, and a zone with nothing before it', () => {
    assertRefused('', 0, /empty expression.*calendar event/);
    assertRefused(' UTC', 0, /empty expression/);
  });

  it('points at an unknown word and lists what may start an expression', () => {
    assertRefused('bogus', 0, /'bogus'.*a weekday, a date, a time or a shorthand/);
    assertRefused('UTC', 0, /'UTC'/);
    assertRefused('daily ', 0, /shorthand 'daily' with spaces.*the shorthand alone/);
    assertRefused('hourly 12:00', 0, /'hourly'/);
  });

  it('points at a misspelt weekday, a doubled comma and a single dot', () => {
    assertRefused('Mond', 0, /weekday 'Mond'.*short or long/);
    assertRefused('Mon,,Tue', 4, /a weekday name/);
    assertRefused('Mon.Fri', 3, /'\.' after weekday Mon.*'\.\.' for a range/);
  });

  it('refuses weekday ranges that run backwards, stay open or continue', () => {
    assertRefused('Fri..Mon', 0, /weekday range Fri\.\.Mon.*Monday-to-Sunday order/);
    assertRefused('Sun..Mon 12:00', 0, /weekday range Sun\.\.Mon/);
    assertRefused('Mon..', 5, /open weekday range Mon\.\..*the weekday that ends the range/);
    assertRefused('Mon-Fri-Sat', 7, /a second range mark/);
    assertRefused('Mon..Tue..Wed', 8, /a second range mark/);
  });

  it('refuses weekdays anywhere but at the start', () => {
    assertRefused('Mon, Tue', 5, /weekday 'Tue' after a space.*without spaces/);
    assertRefused('12:00 Mon', 5, /' ' after the minute/);
  });

  it('names the date part and its allowed range when a value is out of range', () => {
    assertRefused('*-*-32', 4, /day 32 .*expected days 1-31/);
    assertRefused('*-*-0', 4, /day 0 .*days 1-31/);
    assertRefused('*-13-01', 2, /month 13 .*months 1-12/);
    assertRefused('*-0-1', 2, /month 0 /);
    assertRefused('1969-01-01', 0, /year 1969 .*years 1970-2199 \(two-digit years/);
    assertRefused('100-01-01', 0, /year 100 /);
    assertRefused('2200-01-01', 0, /year 2200 /);
    assertRefused('2026-02..01-01', 9, /month 02\.\.01 .*a range end after its start 2/);
  });

  it('names the time part and its allowed range when a value is out of range', () => {
    assertRefused('24:00', 0, /hour 24 .*hours 0-23/);
    assertRefused('*:60', 2, /minute 60 .*minutes 0-59/);
    assertRefused('12:00:60', 6, /second 60 .*seconds 00-59\.999999/);
    assertRefused('00:00:59.9999999', 6, /second 59\.9999999 /);
    assertRefused('99999999999:00', 0, /hour number 99999999999 .*at most 2147483647/);
  });

  it('refuses repetitions that never repeat or step by zero, at the step', () => {
    assertRefused('*:30/30', 5, /minute 30\/30 .*repeats at least once before 59: at most 29/);
    assertRefused('*-1/12-01', 4, /month 1\/12 .*a step of at most 11/);
    assertRefused('1..5/0:00', 5, /hour step 0 .*a step above 0/);
    assertRefused('*:*:00/0', 7, /second step 0/);
    assertRefused('*:*:00/0.0000001', 7, /second step 0\.0000001/);
  });

  it('refuses second ranges shorter than a second, at the range end', () => {
    assertRefused('*-*-* 00:00:05..05', 16, /second range 05\.\.05 .*at least one second after its start/);
    assertRefused('*:*:01..01.5', 8, /second range/);
  });

  it('refuses a broken decimal fraction and a fraction outside the seconds', () => {
    assertRefused('00:00:01.', 9, /after the decimal point in the second.*digits/);
    assertRefused('00:00:.5', 6, /'\.5' in the second.*a number or '\*'/);
    assertRefused('1.5:00', 1, /'\.5' in the hour/);
  });

  it('refuses days from the end of the month beyond what systemd takes', () => {
    assertRefused('*-*~29', 4, /day 29 .*days from the end of the month 1-28/);
    assertRefused('*-*~05,26', 7, /day 26 .*\(item 2 of the sorted list\) 1-25/);
    assertRefused('*-*~01/1', 7, /day 01\/1 .*stays inside the month counting back from 1: at most 0/);
    assertRefused('*-*~5..1', 7, /day 5\.\.1 .*a range end after its start 5/);
    assertRefused('2024~02-1', 4, /'~' between year and month.*only between month and day/);
    assertRefused('*-*-*~01', 5, /'~' after the day/);
  });

  it('points at the separator that breaks a date or a time', () => {
    assertRefused('*-*-1x', 5, /'x' in the day.*',', '\.\.', '\/' or the end of the day/);
    assertRefused('**', 1, /'\*' after the year/);
    assertRefused('*,1-01', 1, /',' after the month/);
    assertRefused('2026-02-30-01', 10, /'-' after the day/);
    assertRefused('12', 2, /the end of the expression after the hour.*':' and the minute/);
    assertRefused('*-*-* 12', 8, /after the hour/);
    assertRefused('12:00:00:00', 8, /':' after the second.*the end of the expression/);
    assertRefused('*:*/20', 3, /'\/' after the minute/);
    assertRefused('12:00 ', 5, /' ' after the minute/);
  });

  it('points at an unknown time zone and suggests the tz database spelling', () => {
    assertRefused('daily europe/berlin', 6, /unknown time zone 'europe\/berlin'.*Europe\/Berlin/);
    assertRefused('12:00 Europe/Berln', 6, /unknown time zone 'Europe\/Berln'.*IANA time zone name/);
    assertRefused('*-*-* 00:00:00 UTC UTC', 14, /' ' after the second.*the end of the expression/);
  });

  it('refuses @ without seconds, with trailing text, or outside 1970-2199', () => {
    assertRefused('@', 1, /after '@'.*seconds since 1970-01-01 UTC/);
    assertRefused('@abc', 1, /'abc' after '@'/);
    assertRefused('@-5', 0, /timestamp @-5 .*years 1970-2199/);
    assertRefused('@99999999999', 0, /timestamp @99999999999/);
    assertRefused('@1700000000 12:00', 11, /' ' .*the end of the expression after @seconds/);
  });

  it('refuses a list longer than the 241 items systemd allows, at the first item too many', () => {
    const items = Array.from({ length: 242 }, () => '1');
    assert.doesNotThrow(() => parseSystemdCalendar(`*-*-${items.slice(1).join(',')}`));
    assertRefused(`*-*-${items.join(',')}`, 4 + 241 * 2, /a 242th day list item.*at most 241 items/);
  });
});
