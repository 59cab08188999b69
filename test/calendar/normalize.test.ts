import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSchedule } from '../../src/calendar/normalize.ts';
import { parseSchedule } from '../../src/calendar/parse-schedule.ts';
import { formatCron } from '../../src/calendar/cron-printer.ts';
import { formatAwsCron } from '../../src/calendar/aws-printer.ts';
import type { CalendarSpec } from '../../src/calendar/calendar-spec.ts';
import { CronplaneError } from '../../src/errors/index.ts';

const normal = (text: string): string => normalizeSchedule(parseSchedule(text));

describe('normalizeSchedule', () => {
  it('prints cron with numbers, expanded shorthands and 7 as 0', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['0 0 * jan-MAR mon-fri', '0 0 * 1-3 1-5'],
      ['@daily', '0 0 * * *'],
      ['@weekly', '0 0 * * 0'],
      ['@hourly', '0 * * * *'],
      ['5/15 * * * *', '5-59/15 * * * *'],
      ['*/1 * * * *', '* * * * *'],
      ['0 0 * * 7', '0 0 * * 0'],
      ['0 0 * * FRI-SUN', '0 0 * * 5-6,0'],
      ['0 0 ? * MON', '0 0 * * 1'],
      ['0 0 13 * +FRI', '0 0 13 * +5'],
      ['0   0  L-3,LW,15W  *  5L,5#3', '0 0 L-3,LW,15W * 5L,5#3'],
      ['00 0 0 * * *', '0 0 * * *'],
      ['*/10 0 12 * * *', '*/10 0 12 * * *'],
      ['CRON_TZ=Europe/Berlin 0 2 * * *', 'CRON_TZ=Europe/Berlin 0 2 * * *'],
      ['TZ=Europe/Berlin 0 2 * * *', 'CRON_TZ=Europe/Berlin 0 2 * * *'],
      ['@reboot', '@reboot'],
    ];
    for (const [input, expected] of cases) assert.equal(normal(input), expected, input);
  });

  it('prints AWS with numeric weekdays from 1 and the largest rate unit', () => {
    assert.equal(normal('cron(0 12 * * ? *)'), 'cron(0 12 * * ? *)');
    assert.equal(normal('cron(0 8 ? * MON-FRI *)'), 'cron(0 8 ? * 2-6 *)');
    assert.equal(normal('cron(0/15 8 ? JAN 6#3 2026)'), 'cron(0/15 8 ? 1 6#3 2026)');
    assert.equal(normal('cron(*/10 8 1/2 * ? *)'), 'cron(0/10 8 1/2 * ? *)');
    assert.equal(normal('cron(0 8 ? * */2 *)'), 'cron(0 8 ? * 1/2 *)');
    assert.equal(normal('cron(0 0 L * ? *)'), 'cron(0 0 L * ? *)');
    assert.equal(normal('rate(60 minutes)'), 'rate(1 hour)');
    assert.equal(normal('rate(48 hours)'), 'rate(2 days)');
    assert.equal(normal('rate(90 minutes)'), 'rate(90 minutes)');
  });

  it('prints intervals with the largest units and an offset', () => {
    assert.equal(normal('every 90 seconds'), 'every 1m30s');
    assert.equal(normal('every 1h at :15'), 'every 1h offset 15m');
    assert.equal(normal('every 6h at 14:00'), 'every 6h offset 2h');
    assert.equal(normal('every 24h'), 'every 1d');
  });

  it('is stable: normalize(parse(normalize(x))) equals normalize(x)', () => {
    for (const text of [
      '0 0 * jan-MAR mon-fri',
      '0 0 * * FRI-SUN',
      '1-7/3 * * * 1-7/3',
      '0 0 13 * +FRI',
      'CRON_TZ=Asia/Tokyo @monthly',
      'cron(0/5 * ? * L *)',
      'cron(0 0 LW * ? *)',
      'rate(1 day)',
      'every 1h30m offset 10m',
      '*-*-* 02:00',
      'Mon..Fri 9:30',
      'daily',
    ]) {
      const once = normal(text);
      assert.equal(normal(once), once, text);
    }
  });

  it('refuses what cron and AWS cannot say', () => {
    const base = parseSchedule('cron(0 0 1 1 ? 2030)') as CalendarSpec;
    const unrepresentable = (error: unknown): boolean =>
      error instanceof CronplaneError && error.code === 'calendar.unrepresentable';
    assert.throws(() => formatCron(base), unrepresentable);
    const both = parseSchedule('0 0 13 * 5') as CalendarSpec;
    assert.throws(() => formatAwsCron(both), unrepresentable);
    assert.throws(() => formatAwsCron(parseSchedule('*/5 * * * * *') as CalendarSpec), unrepresentable);
  });
});
