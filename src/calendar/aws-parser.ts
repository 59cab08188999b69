/**
 * AWS EventBridge / Lambda schedule expressions: `cron(min hour dom month dow year)` and
 * `rate(N unit)`.
 *
 * AWS rules: six fields, exactly one of day-of-month and day-of-week is `?`, day-of-week 1-7 is
 * SUN-SAT, `L` (last day; alone in day-of-week it is Saturday), `W`, `#`, year 1970-2199. The
 * Quartz forms `LW`, `L-n` and `nL` are accepted too.
 */
import type {
  CalendarSpec,
  DayOfMonthField,
  DayOfMonthItem,
  DayOfWeekField,
  DayOfWeekItem,
  FieldItem,
  IntervalSpec,
} from './calendar-spec.ts';
import { calendarError } from './calendar-error.ts';
import { MONTH_NAMES, readRange, splitList, splitWords } from './cron-fields.ts';
import type { FieldRule, Token } from './cron-fields.ts';
import {
  CRON_WEEKDAY_NAMES,
  parsePlainField,
  readDayOfMonthSpecial,
  readWeekdaySpecial,
} from './cron-parser.ts';

const AWS_WEEKDAY_NAMES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(CRON_WEEKDAY_NAMES).map(([name, weekday]) => [name, weekday + 1]),
);

const MINUTE: FieldRule = { label: 'minute', min: 0, max: 59, expected: '0-59' };
const HOUR: FieldRule = { label: 'hour', min: 0, max: 23, expected: '0-23' };
const DAY_OF_MONTH: FieldRule = { label: 'day-of-month', min: 1, max: 31, expected: '1-31, *, ?, L or nW' };
const MONTH: FieldRule = { label: 'month', min: 1, max: 12, names: MONTH_NAMES, expected: '1-12 or JAN-DEC' };
const DAY_OF_WEEK: FieldRule = {
  label: 'day-of-week',
  min: 1,
  max: 7,
  names: AWS_WEEKDAY_NAMES,
  expected: '1-7 (1 is Sunday), SUN-SAT, *, ?, L or n#k',
};
const YEAR: FieldRule = { label: 'year', min: 1970, max: 2199, expected: '1970-2199' };

const RATE_UNITS: Readonly<Record<string, { readonly ms: number; readonly singular: boolean }>> = {
  minute: { ms: 60_000, singular: true },
  minutes: { ms: 60_000, singular: false },
  hour: { ms: 3_600_000, singular: true },
  hours: { ms: 3_600_000, singular: false },
  day: { ms: 86_400_000, singular: true },
  days: { ms: 86_400_000, singular: false },
};

/** Parses `cron(...)` or `rate(...)`; throws a located `calendar.invalid` CronplaneError. */
export function parseAws(text: string): CalendarSpec | IntervalSpec {
  const open = /^\s*(cron|rate)\(/.exec(text);
  if (open === null) {
    const start = text.length - text.trimStart().length;
    throw calendarError(
      'aws: expected cron(min hour day-of-month month day-of-week year) or rate(value unit)',
      start,
    );
  }
  const kind = open[1] as 'cron' | 'rate';
  const bodyStart = open[0].length;
  const close = text.lastIndexOf(')');
  if (close < bodyStart) {
    throw calendarError(`aws: ${kind}( is not closed; expected ")" at the end`, text.length);
  }
  const trailing = text.slice(close + 1);
  if (trailing.trim() !== '') {
    throw calendarError(
      `aws: unexpected "${trailing.trim()}" after ")"`,
      close + 1 + (trailing.length - trailing.trimStart().length),
    );
  }
  return kind === 'rate' ? parseRate(text, bodyStart, close) : parseAwsCron(text, bodyStart, close);
}

function parseRate(text: string, start: number, end: number): IntervalSpec {
  const words = splitWords(text, start, end);
  const [amount, unit, extra] = words;
  if (amount === undefined || unit === undefined) {
    throw calendarError(
      'aws: rate() needs a value and a unit, e.g. rate(5 minutes)',
      words[0]?.position ?? start,
    );
  }
  if (extra !== undefined) {
    throw calendarError(
      `aws: unexpected "${extra.text}" in rate(); expected rate(value unit)`,
      extra.position,
    );
  }
  if (!/^\d+$/.test(amount.text) || Number(amount.text) < 1) {
    throw calendarError(`aws: rate value "${amount.text}" is not a positive whole number`, amount.position);
  }
  const count = Number(amount.text);
  const rule = RATE_UNITS[unit.text];
  if (rule === undefined) {
    throw calendarError(
      `aws: rate unit "${unit.text}" is not valid; expected minute(s), hour(s) or day(s)`,
      unit.position,
    );
  }
  if (rule.singular !== (count === 1)) {
    const wanted = count === 1 ? unit.text.replace(/s$/, '') : `${unit.text}s`;
    throw calendarError(
      `aws: rate unit "${unit.text}" does not agree with ${count}; AWS requires "${wanted}" (singular for 1, plural otherwise)`,
      unit.position,
    );
  }
  return { kind: 'interval', syntax: 'aws', source: text, everyMs: count * rule.ms, anchorMs: 0 };
}

function parseAwsCron(text: string, start: number, end: number): CalendarSpec {
  const fields = splitWords(text, start, end);
  if (fields.length !== 6) {
    const extra = fields[6];
    throw calendarError(
      `aws: cron() needs 6 fields (minute hour day-of-month month day-of-week year); found ${fields.length}`,
      extra?.position ?? end,
    );
  }
  const [minuteToken, hourToken, domToken, monthToken, dowToken, yearToken] = fields as [
    Token,
    Token,
    Token,
    Token,
    Token,
    Token,
  ];
  const domQuestion = domToken.text === '?';
  const dowQuestion = dowToken.text === '?';
  if (domQuestion === dowQuestion) {
    throw calendarError(
      domQuestion
        ? 'aws: day-of-month and day-of-week are both "?"; exactly one of them must be "?"'
        : `aws: one of day-of-month ("${domToken.text}") and day-of-week ("${dowToken.text}") must be "?"`,
      dowToken.position,
    );
  }
  return {
    kind: 'calendar',
    syntax: 'aws',
    source: text,
    second: { kind: 'list', items: [{ kind: 'value', value: 0 }] },
    minute: parsePlainField(minuteToken, MINUTE),
    hour: parsePlainField(hourToken, HOUR),
    dayOfMonth: domQuestion ? { kind: 'any' } : parseAwsDayOfMonth(domToken),
    month: parsePlainField(monthToken, MONTH),
    dayOfWeek: dowQuestion ? { kind: 'any' } : parseAwsDayOfWeek(dowToken),
    year: parsePlainField(yearToken, YEAR),
    dayMatch: 'and',
  };
}

function parseAwsDayOfMonth(token: Token): DayOfMonthField {
  const items: DayOfMonthItem[] = [];
  for (const part of splitList(token, DAY_OF_MONTH)) {
    const special = readDayOfMonthSpecial(part);
    if (special !== undefined) {
      items.push(special);
      continue;
    }
    const range = readRange(part, DAY_OF_MONTH);
    if (range.kind === 'any' || (range.fromAny && range.step === 1)) return { kind: 'any' };
    items.push(rangeItem(range.start, range.end, range.step, range.fromAny));
  }
  return { kind: 'list', items };
}

function parseAwsDayOfWeek(token: Token): DayOfWeekField {
  const items: DayOfWeekItem[] = [];
  for (const part of splitList(token, DAY_OF_WEEK)) {
    if (part.text.toUpperCase() === 'L') {
      items.push({ kind: 'value', value: 6 });
      continue;
    }
    const special = readWeekdaySpecial(part, DAY_OF_WEEK, (weekday) => weekday - 1);
    if (special !== undefined) {
      items.push(special);
      continue;
    }
    const range = readRange(part, DAY_OF_WEEK);
    if (range.kind === 'any' || (range.fromAny && range.step === 1)) return { kind: 'any' };
    items.push(rangeItem(range.start - 1, range.end - 1, range.step, range.fromAny));
  }
  return { kind: 'list', items };
}

function rangeItem(start: number, end: number, step: number, fromAny: boolean): FieldItem {
  if (start === end && !fromAny) return { kind: 'value', value: start };
  return fromAny ? { kind: 'range', start, end, step, fromAny: true } : { kind: 'range', start, end, step };
}
