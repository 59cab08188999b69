/**
 * Schedules in words: a table per syntax, the cron day-of-month OR day-of-week trap, the
 * fall-backs to the normal form, and a check that the words never lie about the time of day
 * (every elapse of hundreds of generated cron expressions and of the systemd corpus falls on a
 * time the words name).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  compileSchedule,
  normalizeSchedule,
  parseSchedule,
  scheduleInWords,
} from '../../src/calendar/index.ts';
import type { ScheduleSpec, Syntax } from '../../src/calendar/index.ts';
import { cronGenerator, seededRandom } from './cron-generator.ts';

function words(text: string, syntax?: Syntax): string {
  return scheduleInWords(parseSchedule(text, syntax === undefined ? {} : { syntax }));
}

function table(cases: readonly (readonly [string, string])[], syntax?: Syntax): void {
  for (const [text, expected] of cases) {
    it(`says ${JSON.stringify(text)} as "${expected}"`, () => {
      assert.equal(words(text, syntax), expected);
    });
  }
}

describe('scheduleInWords', () => {
  describe('cron, 5 and 6 fields', () => {
    table([
      ['0 2 * * *', 'every day at 02:00'],
      ['30 2 * * *', 'every day at 02:30'],
      ['* * * * *', 'every minute'],
      ['*/15 * * * *', 'every 15 minutes'],
      ['0-59/20 * * * *', 'every 20 minutes'],
      ['5 * * * *', 'every hour at minute 5'],
      ['0 * * * *', 'every hour'],
      ['0,10 * * * *', 'every hour at minute 0 and 10'],
      ['5/15 * * * *', 'every hour at minute 5, 20, 35 and 50'],
      ['*/7 * * * *', 'every hour at minute 0, 7, 14, 21, 28, 35, 42, 49 and 56'],
      ['0 */2 * * *', 'every 2 hours'],
      ['0 */6 * * *', 'every day at 00:00, 06:00, 12:00 and 18:00'],
      ['0 */5 * * *', 'every day at 00:00, 05:00, 10:00, 15:00 and 20:00'],
      ['0 1-23/2 * * *', 'every 2 hours from 01:00 through 23:00'],
      ['*/5 9-17 * * *', 'every 5 minutes from 09:00 through 17:55'],
      ['0 9-17 * * *', 'every hour from 09:00 through 17:00'],
      ['0 9,17 * * 1-5', 'at 09:00 and 17:00, Monday through Friday'],
      ['0,30 9,17 * * MON-FRI', 'at 09:00, 09:30, 17:00 and 17:30, Monday through Friday'],
      ['0 12 * * 1,3,5', 'on Monday, Wednesday and Friday at 12:00'],
      ['0 3 * * 6,0', 'on Saturday and Sunday at 03:00'],
      ['0 3 * * SAT-SUN', 'on Saturday and Sunday at 03:00'],
      ['0 0 * * 7', 'every Sunday at 00:00'],
      ['*/10 * * * 1', 'every 10 minutes on Mondays'],
      ['*/10 * * * 1-5', 'every 10 minutes, Monday through Friday'],
      ['0 0 1 * *', 'at 00:00 on the 1st of every month'],
      ['0 0 1,15 * *', 'at 00:00 on the 1st and 15th of every month'],
      ['0 0 2,3,22,23 * *', 'at 00:00 on the 2nd, 3rd, 22nd and 23rd of every month'],
      ['0 0 11,12,13 * *', 'at 00:00 on the 11th through the 13th of every month'],
      ['0 0 1-7 * *', 'at 00:00 on the 1st through the 7th of every month'],
      ['0 0 1 1,7 *', 'at 00:00 on the 1st of January and July'],
      ['0 0 1 */3 *', 'at 00:00 on the 1st of January, April, July and October'],
      ['0 0 * 3-10 *', 'every day in March through October at 00:00'],
      ['0 6 L * *', 'at 06:00 on the last day of the month'],
      ['0 6 L-2 * *', 'at 06:00 on the 3rd last day of the month'],
      ['0 0 15W * *', 'at 00:00 on the weekday nearest the 15th of every month'],
      ['0 0 LW * *', 'at 00:00 on the last weekday of the month'],
      ['0 0 * * 5#3', 'at 00:00 on the third Friday of every month'],
      ['0 0 * * 5L', 'at 00:00 on the last Friday of the month'],
      ['30 * * * * *', 'every minute at second 30'],
      ['*/30 * * * * *', 'every 30 seconds'],
      ['* * * * * *', 'every second'],
      ['15 30 2 * * *', 'every day at 02:30:15'],
      ['CRON_TZ=Asia/Tokyo 30 8 * * *', 'every day at 08:30 (Asia/Tokyo)'],
      ['@daily', 'every day at 00:00'],
      ['@hourly', 'every hour'],
      ['@weekly', 'every Sunday at 00:00'],
      ['@monthly', 'at 00:00 on the 1st of every month'],
      ['@yearly', 'at 00:00 on the 1st of January'],
      ['@reboot', 'once each time the daemon starts'],
    ]);
  });

  describe('cron day-of-month with day-of-week', () => {
    table([
      // Vixie: both restricted and neither starting with `*` -> either day fires.
      ['0 0 13 * 5', 'at 00:00 on the 13th of every month and on every Friday'],
      ['0 0 1-7 * 1', 'at 00:00 on the 1st through the 7th of every month and on every Monday'],
      ['0 0 1 * 6,0', 'at 00:00 on the 1st of every month and on Saturday and Sunday'],
      ['0 0 1 * 1-5', 'at 00:00 on the 1st of every month and on Monday through Friday'],
      // `+` asks for AND.
      ['0 0 1-7 * +1', 'at 00:00 on the 1st through the 7th of every month if it is a Monday'],
      ['0 0 13 * +5', 'at 00:00 on the 13th of every month if it is a Friday'],
      ['0 0 1 * +1-5', 'at 00:00 on the 1st of every month if it is Monday through Friday'],
      ['0 0 1 * +6,0', 'at 00:00 on the 1st of every month if it is a Saturday or Sunday'],
    ]);

    it('says AND when a day field starts with `*` (Vixie), or falls back when it cannot say the days', () => {
      // `*/2` in day-of-month starts with `*`: odd days AND Mondays; odd days have no short words.
      assert.equal(words('0 0 */2 * 1'), 'at times matching 0 0 */2 * 1');
      // `*/2` in day-of-week starts with `*`: the 1st AND a Sunday, Tuesday, Thursday or Saturday.
      assert.equal(
        words('0 0 1 * */2'),
        'at 00:00 on the 1st of every month if it is a Tuesday, Thursday, Saturday or Sunday',
      );
    });

    it('falls back when an OR of the two day fields is limited to some months', () => {
      assert.equal(words('0 0 13 6 5'), 'at times matching 0 0 13 6 5');
    });
  });

  describe('systemd OnCalendar', () => {
    table(
      [
        ['daily', 'every day at 00:00'],
        ['hourly', 'every hour'],
        ['minutely', 'every minute'],
        ['weekly', 'every Monday at 00:00'],
        ['monthly', 'at 00:00 on the 1st of every month'],
        ['quarterly', 'at 00:00 on the 1st of January, April, July and October'],
        ['semiannually', 'at 00:00 on the 1st of January and July'],
        ['*-*-* 02:00', 'every day at 02:00'],
        // systemd reads `09:00,17:30` as hour 9, minute 0 or 17, second 30.
        ['Mon..Fri 09:00,17:30', 'at 09:00:30 and 09:17:30, Monday through Friday'],
        ['Mon..Fri 09,17:00', 'at 09:00 and 17:00, Monday through Friday'],
        ['Sat,Sun 03:00 Europe/Berlin', 'on Saturday and Sunday at 03:00 (Europe/Berlin)'],
        ['Mon,Wed *-*-* 12:00', 'on Monday and Wednesday at 12:00'],
        ['Fri *-*-13 00:00', 'at 00:00 on the 13th of every month if it is a Friday'],
        ['*-*-01 00:00', 'at 00:00 on the 1st of every month'],
        ['*-*-1..7 00:00', 'at 00:00 on the 1st through the 7th of every month'],
        ['*-*~01 06:00', 'at 06:00 on the last day of the month'],
        ['*-*~03 06:00', 'at 06:00 on the 3rd last day of the month'],
        ['*-02~01', 'at 00:00 on the last day of February'],
        ['*-*~07/1 00:00', 'at 00:00 on the last 7 days of the month'],
        ['*:0/15', 'every 15 minutes'],
        ['*:*:0/30', 'every 30 seconds'],
        ['*-*-* *:*:*', 'every second'],
        ['*-*-* 00/6:00', 'every day at 00:00, 06:00, 12:00 and 18:00'],
        ['*-*-* 08..18:00', 'every hour from 08:00 through 18:00'],
        ['2027-01-01 00:00', 'at 00:00 on the 1st of January in 2027'],
        ['2026,2027-01-01 00:00', 'at 00:00 on the 1st of January in 2026 and 2027'],
        ['2026..2030-06-01 12:00', 'at 12:00 on the 1st of June from 2026 through 2030'],
        ['*-*-* 02:00 UTC', 'every day at 02:00 (UTC)'],
      ],
      'systemd',
    );

    it('falls back to the normal form when the times have no short words', () => {
      assert.equal(words('*-*-* 02,14:00/7:00'), 'at times matching *-*-* 02,14:00/7:00');
      assert.equal(words('*:*:00/1.5'), 'at times matching *-*-* *:*:00/1.500000');
      assert.equal(words('*-*-* *:*:01.5'), 'at times matching *-*-* *:*:01.500000');
      assert.equal(words('*-1/2-1/2 00:00'), 'at times matching *-01/2-01/2 00:00:00');
      assert.equal(
        words('1970..2199/7-*-* 00:00'),
        `at times matching ${normalizeSchedule(parseSchedule('1970..2199/7-*-* 00:00'))}`,
      );
    });
  });

  describe('AWS cron and rate', () => {
    table([
      ['cron(0 12 * * ? *)', 'every day at 12:00'],
      ['cron(0/15 * * * ? *)', 'every 15 minutes'],
      ['cron(0 8 ? * MON-FRI *)', 'at 08:00, Monday through Friday'],
      ['cron(0 0 L * ? *)', 'at 00:00 on the last day of the month'],
      ['cron(0 10 ? * 6#3 *)', 'at 10:00 on the third Friday of every month'],
      ['cron(0 0 1 1 ? 2027)', 'at 00:00 on the 1st of January in 2027'],
      ['rate(5 minutes)', 'every 5 minutes'],
      ['rate(1 hour)', 'every hour'],
      ['rate(1 day)', 'every 24 hours'],
    ]);
  });

  describe('intervals', () => {
    table([
      ['every 30s', 'every 30 seconds'],
      ['every 1s', 'every second'],
      ['every 500ms', 'every 500 milliseconds'],
      ['every 15m', 'every 15 minutes'],
      ['every 90m', 'every 90 minutes'],
      ['every 1h', 'every hour'],
      ['every 1d', 'every 24 hours'],
      ['every 1h at :15', 'every hour, offset 15 minutes from the Unix epoch'],
      ['every 1m offset 1s', 'every minute, offset 1 second from the Unix epoch'],
    ]);
  });

  it('says an odd step that does not divide the day by its first and last time', () => {
    assert.equal(words('0 */5 * * * *'), 'every 5 minutes');
    assert.equal(words('0 0 */7 * * *'), 'every day at 00:00, 07:00, 14:00 and 21:00');
    assert.equal(words('0 0 */5 * * *'), 'every day at 00:00, 05:00, 10:00, 15:00 and 20:00');
    assert.equal(words('0 */25 * * * *'), 'every hour at minute 0, 25 and 50');
  });
});

/** The times of day (seconds) an `at ...` phrase names, or undefined for other phrases. */
function namedTimes(text: string): Set<number> | undefined {
  if (/every (\d+ )?(second|minute|hour)|matching|daemon/.test(text)) return undefined;
  const times = [...text.replace(/\(.*\)$/, '').matchAll(/\b(\d{2}):(\d{2})(?::(\d{2}))?\b/g)].map(
    ([, h, m, s]) => Number(h) * 3600 + Number(m) * 60 + Number(s ?? 0),
  );
  return new Set(times);
}

/** The minutes of the hour an `every hour at minute ...` phrase names. */
function namedMinutes(text: string): Set<number> | undefined {
  const match = /^every hour at minute (\d+(?:(?:, | and )\d+)*)/.exec(text);
  if (match === null) return undefined;
  return new Set([...(match[1] ?? '').matchAll(/\d+/g)].map(([n]) => Number(n)));
}

/** The period of an `every 15 minutes` phrase on the day's grid, in seconds. */
function namedPeriod(text: string): number | undefined {
  const match = /^every (\d+ )?(second|minute|hour)s?($| on | in |, [A-Z])/.exec(text);
  if (match === null) return undefined;
  const unit = { second: 1, minute: 60, hour: 3600 }[match[2] as 'second' | 'minute' | 'hour'];
  return Number(match[1] ?? 1) * unit;
}

/** Every elapse of the next 40 falls on a time of day (or minute) the words name. */
function assertTruthful(spec: ScheduleSpec, label: string): void {
  const text = scheduleInWords(spec);
  if (text.startsWith('at times matching ')) {
    assert.equal(text, `at times matching ${normalizeSchedule(spec)}`, label);
    return;
  }
  const times = namedTimes(text);
  const minutes = namedMinutes(text);
  const period = spec.kind === 'calendar' ? namedPeriod(text) : undefined;
  if (times === undefined && minutes === undefined && period === undefined) return;
  const zone = spec.kind === 'calendar' ? (spec.timezone ?? 'UTC') : 'UTC';
  if (zone !== 'UTC') return; // wall times in another zone: covered by the tables
  const elapses = compileSchedule(spec, { timezone: 'UTC' }).upcoming(Date.UTC(2026, 0, 1), 40);
  for (const at of elapses) {
    const ofDay = Math.floor((at % 86_400_000) / 1000);
    if (times !== undefined)
      assert.ok(times.has(ofDay), `${label}: "${text}" but fires at ${new Date(at).toISOString()}`);
    if (period !== undefined)
      assert.equal(ofDay % period, 0, `${label}: "${text}" but fires at ${new Date(at).toISOString()}`);
    if (minutes !== undefined)
      assert.ok(
        minutes.has(Math.floor(ofDay / 60) % 60),
        `${label}: "${text}" but fires at ${new Date(at).toISOString()}`,
      );
  }
}

describe('scheduleInWords never lies about the time of day', () => {
  it('for 600 generated cron expressions', () => {
    const next = cronGenerator(seededRandom(13), { seconds: true, nearestWeekday: true });
    let said = 0;
    for (let index = 0; index < 600; index++) {
      const text = next();
      const spec = parseSchedule(text, { syntax: 'cron' });
      if (!scheduleInWords(spec).startsWith('at times matching')) said++;
      assertTruthful(spec, text);
    }
    assert.ok(said > 100, `only ${said} of 600 had words`);
  });

  it('for the valid expressions of the systemd corpus', () => {
    const corpus = readFileSync(new URL('fixtures/systemd-corpus.txt', import.meta.url), 'utf8');
    let checked = 0;
    for (const line of corpus.split('\n')) {
      if (line === '' || /^(#|\[|! )/.test(line)) continue;
      const text = line.startsWith('"') ? (JSON.parse(line) as string) : line;
      assertTruthful(parseSchedule(text, { syntax: 'systemd' }), text);
      checked++;
    }
    assert.ok(checked > 100, `${checked} expressions`);
  });
});
