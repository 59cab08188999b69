/**
 * Property tests (fast-check, fixed seeds): next() is strictly after its argument and in the set;
 * no elapse is skipped between two consecutive results (brute force, minute by minute); previous()
 * walks the same elapses back; normalisation is stable and keeps the set.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileSchedule } from '../../src/calendar/compile-schedule.ts';
import { normalizeSchedule } from '../../src/calendar/normalize.ts';
import { parseSchedule } from '../../src/calendar/parse-schedule.ts';
import type {
  CalendarSpec,
  DayOfMonthItem,
  DayOfWeekItem,
  Field,
  FieldItem,
} from '../../src/calendar/calendar-spec.ts';
import { cronGenerator, seededRandom } from './cron-generator.ts';

const FROM = Date.parse('2024-01-01T00:00:00Z');
const SPAN = Date.parse('2032-01-01T00:00:00Z') - FROM;

const expression = (seconds: boolean): fc.Arbitrary<string> =>
  fc
    .integer({ min: 1, max: 2 ** 31 - 1 })
    .map((seed) => cronGenerator(seededRandom(seed), { seconds, nearestWeekday: true })());
const instant = fc.integer({ min: 0, max: SPAN }).map((offset) => FROM + offset);
const RUNS = { numRuns: 300, seed: 42 };

// A naive reference: does the UTC instant match the cron spec? Written straight from the cron
// rules, sharing no code with the engine's tables.
function inItem(item: FieldItem, value: number, max: number): boolean {
  switch (item.kind) {
    case 'value':
      return item.value === value;
    case 'range':
      return value >= item.start && value <= item.end && (value - item.start) % item.step === 0;
    case 'repeat':
      return value >= item.start && value <= max && (value - item.start) % item.step === 0;
  }
}
function inField(field: Field, value: number, max: number): boolean {
  return field.kind === 'any' || field.items.some((item) => inItem(item, value, max));
}
function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function weekdayOf(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
function domMatches(item: DayOfMonthItem, y: number, m: number, d: number): boolean {
  const n = daysIn(y, m);
  switch (item.kind) {
    case 'last-day':
      return d === n - item.offset;
    case 'last-weekday': {
      let day = n;
      while (weekdayOf(y, m, day) === 0 || weekdayOf(y, m, day) === 6) day--;
      return d === day;
    }
    case 'nearest-weekday': {
      if (item.day > n) return false;
      const candidates = [item.day, item.day - 1, item.day + 1, item.day - 2, item.day + 2].filter(
        (day) => day >= 1 && day <= n && weekdayOf(y, m, day) !== 0 && weekdayOf(y, m, day) !== 6,
      );
      return d === candidates[0];
    }
    case 'from-end':
      throw new Error('not cron');
    default:
      return inItem(item, d, 31);
  }
}
function dowMatches(item: DayOfWeekItem, y: number, m: number, d: number): boolean {
  const weekday = weekdayOf(y, m, d);
  switch (item.kind) {
    case 'nth-weekday':
      return weekday === item.weekday && Math.ceil(d / 7) === item.n;
    case 'last-weekday-of-month':
      return weekday === item.weekday && d + 7 > daysIn(y, m);
    default:
      return inItem(item, weekday, 6);
  }
}
function naiveMatches(spec: CalendarSpec, ms: number): boolean {
  const date = new Date(ms);
  if (date.getUTCMilliseconds() !== 0) return false;
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  if (!inField(spec.second, date.getUTCSeconds(), 59)) return false;
  if (!inField(spec.minute, date.getUTCMinutes(), 59) || !inField(spec.hour, date.getUTCHours(), 23))
    return false;
  if (!inField(spec.month, m, 12)) return false;
  const dom =
    spec.dayOfMonth.kind === 'any' || spec.dayOfMonth.items.some((item) => domMatches(item, y, m, d));
  const dow = spec.dayOfWeek.kind === 'any' || spec.dayOfWeek.items.some((item) => dowMatches(item, y, m, d));
  const star = (field: { kind: string; items?: readonly { kind: string; fromAny?: boolean }[] }): boolean =>
    field.kind === 'any' || (field.items?.[0]?.kind === 'range' && field.items[0].fromAny === true);
  const or = spec.dayMatch === 'or' && !star(spec.dayOfMonth) && !star(spec.dayOfWeek);
  return or ? dom || dow : dom && dow;
}

describe('properties of next() and previous()', () => {
  it('returns an instant strictly after the argument that is in the set', () => {
    fc.assert(
      fc.property(expression(true), instant, (expr, after) => {
        const spec = parseSchedule(expr) as CalendarSpec;
        const next = compileSchedule(spec).next(after);
        if (next === null) return;
        assert.ok(next > after, expr);
        assert.ok(naiveMatches(spec, next), `${expr}: ${new Date(next).toISOString()} is not in the set`);
      }),
      RUNS,
    );
  });

  it('skips no matching minute between consecutive elapses (brute force over two days)', () => {
    fc.assert(
      fc.property(expression(false), instant, (expr, after) => {
        const spec = parseSchedule(expr) as CalendarSpec;
        const schedule = compileSchedule(spec);
        const start = Math.floor(after / 60_000) * 60_000;
        const end = start + 2 * 86_400_000;
        const expected: number[] = [];
        for (let t = start + 60_000; t <= end; t += 60_000) if (naiveMatches(spec, t)) expected.push(t);
        const actual: number[] = [];
        for (let t = schedule.next(start); t !== null && t <= end; t = schedule.next(t)) actual.push(t);
        assert.deepEqual(actual, expected, expr);
      }),
      { numRuns: 120, seed: 7 },
    );
  });

  it('walks back with previous() over the same elapses, in DST zones too', () => {
    const zone = fc.constantFrom(
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'America/Santiago',
    );
    fc.assert(
      fc.property(expression(true), instant, zone, (expr, after, timezone) => {
        const schedule = compileSchedule(parseSchedule(expr), { timezone });
        const forward = schedule.upcoming(after, 4);
        const first = forward[0];
        if (first === undefined) return;
        // Nothing lies between `after` and the first elapse.
        const before = schedule.previous(first);
        assert.ok(before === null || before <= after, `${expr} in ${timezone}: previous(next(t)) > t`);
        const backward: number[] = [];
        let cursor = (forward[forward.length - 1] as number) + 1;
        for (let i = 0; i < forward.length; i++) {
          const previous = schedule.previous(cursor);
          if (previous === null) break;
          backward.unshift(previous);
          cursor = previous;
        }
        assert.deepEqual(backward, forward, `${expr} in ${timezone}`);
      }),
      RUNS,
    );
  });
});

describe('properties of normalizeSchedule()', () => {
  it('is stable and keeps the set of elapses', () => {
    fc.assert(
      fc.property(expression(true), instant, (expr, after) => {
        const spec = parseSchedule(expr);
        const once = normalizeSchedule(spec);
        const reparsed = parseSchedule(once);
        assert.equal(normalizeSchedule(reparsed), once, expr);
        const a = compileSchedule(spec, { timezone: 'Europe/Berlin' }).upcoming(after, 5);
        const b = compileSchedule(reparsed, { timezone: 'Europe/Berlin' }).upcoming(after, 5);
        assert.deepEqual(b, a, `${expr} -> ${once}`);
      }),
      RUNS,
    );
  });

  it('is stable for intervals and AWS rates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 * 86_400_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (every, anchor) => {
          const text = normalizeSchedule({
            kind: 'interval',
            syntax: 'interval',
            source: 'x',
            everyMs: every,
            anchorMs: anchor,
          });
          assert.equal(normalizeSchedule(parseSchedule(text)), text);
          const spec = parseSchedule(text);
          assert.ok(spec.kind === 'interval' && spec.everyMs === every && spec.anchorMs === anchor % every);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('minute', 'hour', 'day'),
        (count, unit) => {
          const text = normalizeSchedule(parseSchedule(`rate(${count} ${unit}${count === 1 ? '' : 's'})`));
          assert.equal(normalizeSchedule(parseSchedule(text)), text);
        },
      ),
      RUNS,
    );
  });
});
