import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import type {
  CalendarSpec,
  DayOfMonthItem,
  DayOfWeekItem,
  FieldItem,
} from '../../src/calendar/calendar-spec.ts';
import { normalizeSystemd } from '../../src/calendar/systemd-normalize.ts';
import { parseSystemdCalendar } from '../../src/calendar/systemd-parser.ts';
import { CronplaneError } from '../../src/errors/index.ts';

const normal = (text: string): string => normalizeSystemd(parseSystemdCalendar(text));

const ANY = { kind: 'any' } as const;
const value = (v: number): FieldItem => ({ kind: 'value', value: v });
const values = (...numbers: number[]) => ({ kind: 'list', items: numbers.map(value) }) as const;
const items = <T>(...list: T[]) => ({ kind: 'list', items: list }) as const;

/** A spec as the cron parser would build it: seconds 0, Vixie OR of the two day fields. */
function cronSpec(source: string, fields: Partial<CalendarSpec>): CalendarSpec {
  return {
    kind: 'calendar',
    syntax: 'cron',
    source,
    second: values(0),
    minute: ANY,
    hour: ANY,
    dayOfMonth: ANY,
    month: ANY,
    dayOfWeek: ANY,
    year: ANY,
    dayMatch: 'or',
    ...fields,
  };
}

function assertNotRepresentable(spec: CalendarSpec, pattern: RegExp): void {
  assert.throws(
    () => normalizeSystemd(spec),
    (error: unknown) => {
      assert.ok(error instanceof CronplaneError);
      assert.equal(error.code, 'calendar.unrepresentable');
      assert.match(
        error.message,
        new RegExp(`^'${spec.source.replace(/[*?]/g, '\\$&')}' has no systemd OnCalendar equivalent: `),
      );
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('normalizeSystemd on OnCalendar expressions', () => {
  it('prints the normal form systemd-analyze prints', () => {
    const cases: [string, string][] = [
      ['daily', '*-*-* 00:00:00'],
      ['hourly', '*-*-* *:00:00'],
      ['minutely', '*-*-* *:*:00'],
      ['weekly', 'Mon *-*-* 00:00:00'],
      ['quarterly', '*-01,04,07,10-01 00:00:00'],
      ['Mon..Fri *-*-* 02:00', 'Mon..Fri *-*-* 02:00:00'],
      ['Mon-Fri 2:0', 'Mon..Fri *-*-* 02:00:00'],
      ['Mon,Tue,Wed,Fri', 'Mon..Wed,Fri *-*-* 00:00:00'],
      ['Sat..Sun', 'Sat,Sun *-*-* 00:00:00'],
      ['Mon..Sun 12:00', '*-*-* 12:00:00'],
      ['Sat *-1..7 4:0', 'Sat *-*-01..07 04:00:00'],
      ['*:0/15', '*-*-* *:00/15:00'],
      ['*-*-1..11/3', '*-*-01..10/3 00:00:00'],
      ['5,1,5:00', '*-*-* 01,05:00:00'],
      ['1,1..3:00', '*-*-* 01,01..03:00:00'],
      ['26-1-1', '2026-01-01 00:00:00'],
      ['2026/2-06-01', '2026/2-06-01 00:00:00'],
      ['*-02~03', '*-02~03 00:00:00'],
      ['*-05~07/1', '*-05~07/1 00:00:00'],
      ['*-*~1..6/2', '*-*~01..05/2 00:00:00'],
      ['*-02~*', '*-02-* 00:00:00'],
      ['12:00:01.5', '*-*-* 12:00:01.500000'],
      ['12:00:1.9999995', '*-*-* 12:00:02'],
      ['*:*:00/0.5', '*-*-* *:*:00/0.500000'],
      ['*:*:00/1.5', '*-*-* *:*:00/1.500000'],
      ['*:*:01.5,02', '*-*-* *:*:01.500000,02'],
      ['*:*:1.5..3', '*-*-* *:*:01.500000..02.500000'],
      ['*:*:00/1', '*-*-* *:*:*'],
      ['daily utc', '*-*-* 00:00:00 UTC'],
      ['Mon..Fri 09:00 America/New_York', 'Mon..Fri *-*-* 09:00:00 America/New_York'],
      ['@1700000000', '2023-11-14 22:13:20 UTC'],
    ];
    for (const [text, expected] of cases) assert.equal(normal(text), expected, text);
  });

  it('gives back its own normal form unchanged, for any expression it accepts', () => {
    const number = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map(String);
    const component = (max: number): fc.Arbitrary<string> =>
      fc.oneof(
        number(max),
        fc.tuple(number(max), number(max)).map(([a, b]) => `${a}..${b}`),
        fc.tuple(number(max), fc.integer({ min: 1, max })).map(([a, s]) => `${a}/${s}`),
        fc.tuple(number(max), number(max), fc.integer({ min: 1, max })).map(([a, b, s]) => `${a}..${b}/${s}`),
      );
    const chain = (max: number): fc.Arbitrary<string> =>
      fc.oneof(
        fc.constant('*'),
        fc.array(component(max), { minLength: 1, maxLength: 3 }).map((list) => list.join(',')),
      );
    const weekday = fc.constantFrom('Mon', 'tue', 'Wednesday', 'Thu', 'FRI', 'Sat', 'Sun');
    const weekdays = fc.oneof(
      fc.constant(''),
      fc.array(weekday, { minLength: 1, maxLength: 3 }).map((list) => `${list.join(',')} `),
      fc.tuple(weekday, weekday).map(([a, b]) => `${a}..${b} `),
    );
    const date = fc.oneof(
      fc.constant(''),
      fc.tuple(chain(13), fc.constantFrom('-', '~'), chain(32)).map(([m, sep, d]) => `${m}${sep}${d} `),
      fc
        .tuple(
          fc.constantFrom('*', '2026', '26..30', '2026/3'),
          chain(13),
          fc.constantFrom('-', '~'),
          chain(32),
        )
        .map(([y, m, sep, d]) => `${y}-${m}${sep}${d} `),
    );
    const time = fc.oneof(
      fc.constant(''),
      fc.tuple(chain(24), chain(60)).map(([h, m]) => `${h}:${m}`),
      fc.tuple(chain(24), chain(60), chain(60)).map(([h, m, s]) => `${h}:${m}:${s}`),
    );
    const zone = fc.constantFrom('', ' UTC', ' Europe/Berlin');
    const expression = fc.tuple(weekdays, date, time, zone).map(([w, d, t, z]) => `${w}${d}${t}`.trim() + z);
    let accepted = 0;
    fc.assert(
      fc.property(expression, (text) => {
        let spec: CalendarSpec;
        try {
          spec = parseSystemdCalendar(text);
        } catch {
          return;
        }
        accepted++;
        const once = normalizeSystemd(spec);
        const again = parseSystemdCalendar(once);
        assert.equal(normalizeSystemd(again), once, text);
        const { source: _a, shorthand: _b, ...fields } = spec;
        const { source: _c, shorthand: _d, ...fieldsAgain } = again;
        assert.deepEqual(fieldsAgain, fields, `${text} -> ${once}`);
      }),
      { numRuns: 600, seed: 20260101 },
    );
    assert.ok(accepted > 100, `only ${accepted} generated expressions were valid`);
  });
});

describe('normalizeSystemd on cron and AWS specs', () => {
  it('prints the equivalent OnCalendar expression of a plain cron schedule', () => {
    assert.equal(
      normalizeSystemd(
        cronSpec('0 2 * * 1-5', {
          minute: values(0),
          hour: values(2),
          dayOfWeek: items({ kind: 'range', start: 1, end: 5, step: 1 }),
        }),
      ),
      'Mon..Fri *-*-* 02:00:00',
    );
    assert.equal(
      normalizeSystemd(
        cronSpec('*/15 * * * *', {
          minute: items({ kind: 'range', start: 0, end: 59, step: 15, fromAny: true }),
        }),
      ),
      '*-*-* *:00/15:00',
    );
    assert.equal(
      normalizeSystemd(
        cronSpec('0-59/15 * * * *', { minute: items({ kind: 'range', start: 0, end: 59, step: 15 }) }),
      ),
      '*-*-* *:00..45/15:00',
    );
    assert.equal(
      normalizeSystemd(
        cronSpec('0 0 */2 */3 *', {
          minute: values(0),
          hour: values(0),
          dayOfMonth: items({ kind: 'range', start: 1, end: 31, step: 2, fromAny: true }),
          month: items({ kind: 'range', start: 1, end: 12, step: 3, fromAny: true }),
        }),
      ),
      '*-01/3-01/2 00:00:00',
    );
    assert.equal(
      normalizeSystemd(cronSpec('50/15 * * * *', { minute: items({ kind: 'repeat', start: 50, step: 15 }) })),
      '*-*-* *:50:00',
    );
    assert.equal(
      normalizeSystemd(
        cronSpec('*/10 * * * * *', {
          second: items({ kind: 'range', start: 0, end: 59, step: 10, fromAny: true }),
        }),
      ),
      '*-*-* *:*:00/10',
    );
  });

  it('prints cron weekday 7 and Sunday 0 alike, and the zone of CRON_TZ', () => {
    const spec = cronSpec('CRON_TZ=Europe/Berlin 30 6 * * 0,7', {
      minute: values(30),
      hour: values(6),
      dayOfWeek: values(0, 7),
      timezone: 'Europe/Berlin',
    });
    assert.equal(normalizeSystemd(spec), 'Sun *-*-* 06:30:00 Europe/Berlin');
    assert.equal(
      normalizeSystemd(cronSpec('0 0 * * *', { minute: values(0), hour: values(0), timezone: 'utc' })),
      '*-*-* 00:00:00 UTC',
    );
  });

  it('prints cron L and L-n as days from the end of the month', () => {
    const last = (offset: number): DayOfMonthItem => ({ kind: 'last-day', offset });
    assert.equal(
      normalizeSystemd(
        cronSpec('0 0 L * *', { minute: values(0), hour: values(0), dayOfMonth: items(last(0)) }),
      ),
      '*-*~01 00:00:00',
    );
    assert.equal(
      normalizeSystemd(
        cronSpec('0 0 L-2 2 *', {
          minute: values(0),
          hour: values(0),
          month: values(2),
          dayOfMonth: items(last(2)),
        }),
      ),
      '*-02~03 00:00:00',
    );
  });

  it('keeps both day fields when one of them allows every day, as Vixie cron does', () => {
    const everyDayOfMonth = cronSpec('0 0 1-31 * 5', {
      minute: values(0),
      hour: values(0),
      dayOfMonth: items({ kind: 'range', start: 1, end: 31, step: 1 }),
      dayOfWeek: values(5),
    });
    assert.equal(normalizeSystemd(everyDayOfMonth), '*-*-* 00:00:00');
    const andSemantics: CalendarSpec = {
      ...cronSpec('0 0 13 * 5', {
        minute: values(0),
        hour: values(0),
        dayOfMonth: values(13),
        dayOfWeek: values(5),
      }),
      dayMatch: 'and',
    };
    assert.equal(normalizeSystemd(andSemantics), 'Fri *-*-13 00:00:00');
  });

  it('prints an AWS cron with years', () => {
    const aws: CalendarSpec = {
      ...cronSpec('cron(0 12 ? * MON-FRI 2026-2028)', {
        minute: values(0),
        hour: values(12),
        dayOfWeek: items({ kind: 'range', start: 1, end: 5, step: 1 }),
        year: items({ kind: 'range', start: 2026, end: 2028, step: 1 }),
      }),
      syntax: 'aws',
      dayMatch: 'and',
    };
    assert.equal(normalizeSystemd(aws), 'Mon..Fri 2026..2028-*-* 12:00:00');
  });

  it('refuses Vixie cron OR of day of month and weekday, naming the reason', () => {
    assertNotRepresentable(
      cronSpec('0 0 13 * 5', {
        minute: values(0),
        hour: values(0),
        dayOfMonth: values(13),
        dayOfWeek: values(5),
      }),
      /day of month OR the weekday matches \(Vixie cron\)/,
    );
  });

  it('refuses cron W, LW, # and weekday L, naming the construct', () => {
    const at = (dayOfMonth: DayOfMonthItem): CalendarSpec =>
      cronSpec('0 0 15W * *', { dayOfMonth: items(dayOfMonth) });
    assertNotRepresentable(at({ kind: 'nearest-weekday', day: 15 }), /15W \(the weekday nearest to day 15\)/);
    assertNotRepresentable(at({ kind: 'last-weekday' }), /LW \(the last weekday of the month\)/);
    const on = (dayOfWeek: DayOfWeekItem): CalendarSpec =>
      cronSpec('0 0 * * 5#3', { dayOfWeek: items(dayOfWeek) });
    assertNotRepresentable(
      on({ kind: 'nth-weekday', weekday: 5, n: 3 }),
      /weekday 5#3 \(the nth such weekday/,
    );
    assertNotRepresentable(
      on({ kind: 'last-weekday-of-month', weekday: 5 }),
      /weekday 5L \(the last such weekday/,
    );
  });

  it('refuses days counted from both ends of the month, and L beyond 28 days back', () => {
    assertNotRepresentable(
      cronSpec('0 0 1,L * *', {
        dayOfMonth: items<DayOfMonthItem>(value(1), { kind: 'last-day', offset: 0 }),
      }),
      /either from the start \(-\) or from the end \(~\)/,
    );
    assertNotRepresentable(
      cronSpec('0 0 L-30 * *', { dayOfMonth: items({ kind: 'last-day', offset: 30 }) }),
      /day field is outside what OnCalendar takes: expected days from the end of the month 1-28/,
    );
  });
});
