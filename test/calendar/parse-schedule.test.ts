import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectSyntax, parseSchedule } from '../../src/calendar/parse-schedule.ts';
import { assertCalendarError } from './assert-calendar-error.ts';

describe('parseSchedule: syntax detection', () => {
  it('detects each syntax by its shape', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['every 30s', 'interval'],
      ['  every 1h at :15', 'interval'],
      ['rate(5 minutes)', 'aws'],
      ['cron(0 12 * * ? *)', 'aws'],
      ['@daily', 'cron'],
      ['@reboot', 'cron'],
      ['CRON_TZ=UTC 0 0 * * *', 'cron'],
      ['TZ=Europe/Berlin 0 0 * * *', 'cron'],
      ['0 2 * * *', 'cron'],
      ['*/10 * * * * *', 'cron'],
      ['0 0 L * MON#2', 'cron'],
      ['0 0 * * +MON', 'cron'],
      ['hourly', 'systemd'],
      ['daily', 'systemd'],
      ['Mon..Fri *-*-* 02:00', 'systemd'],
      ['*-*-* 02:00:00 UTC', 'systemd'],
      ['*:0/15', 'systemd'],
      ['@1767225600', 'systemd'],
    ];
    for (const [text, syntax] of cases) assert.equal(detectSyntax(text), syntax, text);
  });

  it('parses with the detected parser', () => {
    assert.equal(parseSchedule('0 2 * * *').syntax, 'cron');
    assert.equal(parseSchedule('every 30s').kind, 'interval');
    assert.equal(parseSchedule('rate(1 hour)').syntax, 'aws');
    assert.equal(parseSchedule('@reboot').kind, 'startup');
  });

  it('passes the day-match option to the cron parser', () => {
    const spec = parseSchedule('0 0 13 * 5', { dayMatch: 'and' });
    assert.equal(spec.kind === 'calendar' && spec.dayMatch, 'and');
  });

  it('obeys a forced syntax', () => {
    assertCalendarError(() => parseSchedule('hourly', { syntax: 'cron' }), {
      position: 6,
      message: /cron: expected 5 fields/,
    });
    assertCalendarError(() => parseSchedule('0 2 * * *', { syntax: 'aws' }), {
      position: 0,
      message: /aws: expected cron\(/,
    });
    assertCalendarError(() => parseSchedule('0 2 * * *', { syntax: 'interval' }), {
      position: 0,
      message: /interval: expected every/,
    });
  });

  it('rejects an empty expression', () => {
    assertCalendarError(() => parseSchedule('  '), { position: 0, message: /the expression is empty/ });
  });
});
