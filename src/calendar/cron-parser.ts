/**
 * Vixie-style cron expressions: 5 fields (`minute hour day-of-month month day-of-week`) or 6 with
 * seconds first, names, ranges, steps, lists, `*`, `?`, `L`, `L-n`, `W`, `LW`, `#`, `nL`,
 * `@shorthands`, `@reboot` and a `CRON_TZ=`/`TZ=` prefix.
 */
import type {
  CalendarSpec,
  DayMatch,
  DayOfMonthField,
  DayOfMonthItem,
  DayOfWeekField,
  DayOfWeekItem,
  Field,
  FieldItem,
  StartupSpec,
} from './calendar-spec.ts';
import { calendarError, isKnownTimeZone } from './calendar-error.ts';
import { MONTH_NAMES, readRange, readValue, splitList, splitWords } from './cron-fields.ts';
import type { FieldRule, RawRange, Token } from './cron-fields.ts';

export interface CronParseOptions {
  /**
   * How day-of-month and day-of-week combine when both are restricted: `or` (Vixie cron, the
   * default) or `and`. A `+` before the day-of-week field asks for `and` in the expression itself.
   */
  readonly dayMatch?: DayMatch;
}

export const CRON_SHORTHANDS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export const CRON_WEEKDAY_NAMES: Readonly<Record<string, number>> = {
  SUN: 0,
  MON: 1,
  TUE: 2,
  WED: 3,
  THU: 4,
  FRI: 5,
  SAT: 6,
};

const SECOND: FieldRule = { label: 'second', min: 0, max: 59, expected: '0-59' };
const MINUTE: FieldRule = { label: 'minute', min: 0, max: 59, expected: '0-59' };
const HOUR: FieldRule = { label: 'hour', min: 0, max: 23, expected: '0-23' };
const DAY_OF_MONTH: FieldRule = {
  label: 'day-of-month',
  min: 1,
  max: 31,
  expected: '1-31, *, ?, L, L-n, nW or LW',
};
const MONTH: FieldRule = { label: 'month', min: 1, max: 12, names: MONTH_NAMES, expected: '1-12 or JAN-DEC' };
const DAY_OF_WEEK: FieldRule = {
  label: 'day-of-week',
  min: 0,
  max: 7,
  names: CRON_WEEKDAY_NAMES,
  expected: '0-7 (0 and 7 are Sunday), SUN-SAT, *, ?, n#k or nL',
};

const FIELD_COUNT_HELP = '5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first';

/** Parses a cron expression; throws a located `calendar.invalid` CronplaneError. */
export function parseCron(text: string, options: CronParseOptions = {}): CalendarSpec | StartupSpec {
  const words = splitWords(text);
  const first = words[0];
  if (first === undefined) {
    throw calendarError(
      `cron: the expression is empty; expected ${FIELD_COUNT_HELP}, or @daily-style shorthand`,
      0,
    );
  }
  let timezone: string | undefined;
  let fields = words;
  const prefix = /^(CRON_TZ|TZ)=(.*)$/.exec(first.text);
  if (prefix !== null) {
    const name = prefix[1] ?? '';
    const zone = prefix[2] ?? '';
    const zonePosition = first.position + name.length + 1;
    if (zone === '') {
      throw calendarError(`cron: ${name}= needs a time zone name (e.g. ${name}=Europe/Berlin)`, zonePosition);
    }
    if (!isKnownTimeZone(zone)) {
      throw calendarError(
        `cron: time zone "${zone}" is not a known IANA zone; expected a name such as Europe/Berlin or UTC`,
        zonePosition,
      );
    }
    timezone = zone;
    fields = words.slice(1);
    if (fields.length === 0) {
      throw calendarError(`cron: expected a schedule after ${first.text}`, text.length);
    }
  }
  const head = fields[0];
  if (head !== undefined && head.text.startsWith('@')) return parseShorthand(text, fields, timezone, options);
  if (fields.length < 5) {
    throw calendarError(`cron: expected ${FIELD_COUNT_HELP}; found ${fields.length}`, text.trimEnd().length);
  }
  if (fields.length > 6) {
    const extra = fields[6] as Token;
    throw calendarError(
      `cron: unexpected "${extra.text}"; expected ${FIELD_COUNT_HELP}, found ${fields.length}`,
      extra.position,
    );
  }
  return buildSpec(text, fields, timezone, options, undefined);
}

function parseShorthand(
  text: string,
  fields: readonly Token[],
  timezone: string | undefined,
  options: CronParseOptions,
): CalendarSpec | StartupSpec {
  const head = fields[0] as Token;
  const extra = fields[1];
  if (extra !== undefined) {
    throw calendarError(
      `cron: unexpected "${extra.text}" after ${head.text}; a shorthand stands alone`,
      extra.position,
    );
  }
  const name = head.text.toLowerCase();
  if (name === '@reboot') return { kind: 'startup', syntax: 'cron', source: text };
  const expansion = CRON_SHORTHANDS[name];
  if (expansion === undefined) {
    throw calendarError(
      `cron: "${head.text}" is not a shorthand; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @reboot`,
      head.position,
    );
  }
  const tokens = expansion.split(' ').map((part) => ({ text: part, position: head.position }));
  return buildSpec(text, tokens, timezone, options, name);
}

function buildSpec(
  text: string,
  fields: readonly Token[],
  timezone: string | undefined,
  options: CronParseOptions,
  shorthand: string | undefined,
): CalendarSpec {
  const withSeconds = fields.length === 6;
  const at = (index: number): Token => fields[withSeconds ? index : index - 1] as Token;
  const second: Field = withSeconds ? parsePlainField(at(0), SECOND) : { kind: 'list', items: [value(0)] };
  const minute = parsePlainField(at(1), MINUTE);
  const hour = parsePlainField(at(2), HOUR);
  const dayOfMonth = parseDayOfMonth(at(3));
  const month = parsePlainField(at(4), MONTH);
  const { field: dayOfWeek, and } = parseDayOfWeek(at(5));
  return {
    kind: 'calendar',
    syntax: 'cron',
    source: text,
    second,
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek,
    year: { kind: 'any' },
    dayMatch: and ? 'and' : (options.dayMatch ?? 'or'),
    ...(timezone === undefined ? {} : { timezone }),
    ...(shorthand === undefined ? {} : { shorthand }),
  };
}

function value(v: number): FieldItem {
  return { kind: 'value', value: v };
}

function toItem(range: Extract<RawRange, { kind: 'range' }>): FieldItem {
  if (range.start === range.end && !range.fromAny) return value(range.start);
  return range.fromAny
    ? { kind: 'range', start: range.start, end: range.end, step: range.step, fromAny: true }
    : { kind: 'range', start: range.start, end: range.end, step: range.step };
}

function rejectQuestionMark(token: Token, rule: FieldRule): void {
  const at = token.text.indexOf('?');
  if (at >= 0) {
    throw calendarError(
      `${rule.label} field: "?" is only allowed alone in day-of-month or day-of-week; expected ${rule.expected}`,
      token.position + at,
    );
  }
}

/** A field of plain values: second, minute, hour, month. */
export function parsePlainField(token: Token, rule: FieldRule): Field {
  rejectQuestionMark(token, rule);
  const parts = splitList(token, rule);
  const items: FieldItem[] = [];
  for (const part of parts) items.push(toItem(asRange(readRange(part, rule), rule.min, rule.max)));
  return parts.length === 1 && isEverything(items[0]) ? { kind: 'any' } : { kind: 'list', items };
}

/**
 * `*` becomes a range written from `*` when it shares a list with other items: Vixie cron decides
 * whether a field is "unrestricted" from its first character, so `5,*` and `*,5` differ there.
 */
function asRange(range: RawRange, min: number, max: number): Extract<RawRange, { kind: 'range' }> {
  return range.kind === 'any' ? { kind: 'range', start: min, end: max, step: 1, fromAny: true } : range;
}

function isEverything(item: FieldItem | DayOfMonthItem | DayOfWeekItem | undefined): boolean {
  return item?.kind === 'range' && item.fromAny === true && item.step === 1;
}

function parseDayOfMonth(token: Token): DayOfMonthField {
  if (token.text === '?') return { kind: 'any' };
  const parts = splitList(token, DAY_OF_MONTH);
  const items: DayOfMonthItem[] = [];
  for (const part of parts) {
    const special = readDayOfMonthSpecial(part);
    if (special !== undefined) {
      items.push(special);
      continue;
    }
    rejectQuestionMark(part, DAY_OF_MONTH);
    items.push(toItem(asRange(readRange(part, DAY_OF_MONTH), 1, 31)));
  }
  return parts.length === 1 && isEverything(items[0]) ? { kind: 'any' } : { kind: 'list', items };
}

/** `L`, `L-n`, `LW`, `nW`, shared with the AWS parser. */
export function readDayOfMonthSpecial(part: Token): DayOfMonthItem | undefined {
  const upper = part.text.toUpperCase();
  if (upper === 'L') return { kind: 'last-day', offset: 0 };
  if (upper === 'LW') return { kind: 'last-weekday' };
  if (upper.startsWith('L-')) {
    const offsetText = part.text.slice(2);
    if (!/^\d+$/.test(offsetText) || Number(offsetText) > 30) {
      throw calendarError(
        `day-of-month field: "${offsetText}" in "${part.text}" is out of range 0-30; expected L-n, n days before the last day`,
        part.position + 2,
      );
    }
    return { kind: 'last-day', offset: Number(offsetText) };
  }
  if (upper.length > 1 && upper.endsWith('W')) {
    const dayText = part.text.slice(0, -1);
    if (!/^\d+$/.test(dayText) || Number(dayText) < 1 || Number(dayText) > 31) {
      throw calendarError(
        `day-of-month field: "${dayText}" in "${part.text}" is out of range 1-31; expected nW, the weekday nearest day n`,
        part.position,
      );
    }
    return { kind: 'nearest-weekday', day: Number(dayText) };
  }
  return undefined;
}

function parseDayOfWeek(token: Token): { field: DayOfWeekField; and: boolean } {
  let field = token;
  let and = false;
  if (field.text.startsWith('+')) {
    and = true;
    field = { text: field.text.slice(1), position: field.position + 1 };
    if (field.text === '') {
      throw calendarError(`day-of-week field: "+" must be followed by weekdays (e.g. +MON)`, field.position);
    }
  }
  if (field.text === '?') return { field: { kind: 'any' }, and };
  const parts = splitList(field, DAY_OF_WEEK);
  const items: DayOfWeekItem[] = [];
  for (const part of parts) {
    const special = readWeekdaySpecial(part, DAY_OF_WEEK, (v) => v % 7);
    if (special !== undefined) {
      items.push(special);
      continue;
    }
    rejectQuestionMark(part, DAY_OF_WEEK);
    const range = readRange(part, DAY_OF_WEEK, (end, start) => (end === 0 && start > 0 ? 7 : end));
    if (range.kind === 'any' || range.fromAny) {
      // Cron's * is 0-7 in this field; over the model's 0-6 the same weekdays are hit.
      items.push({
        kind: 'range',
        start: 0,
        end: 6,
        step: range.kind === 'any' ? 1 : range.step,
        fromAny: true,
      });
      continue;
    }
    items.push(...cronWeekdayRange(range.start, range.end, range.step));
  }
  const any = parts.length === 1 && isEverything(items[0]);
  return { field: any ? { kind: 'any' } : { kind: 'list', items }, and };
}

/** Cron weekdays 0-7 (7 = Sunday again) into model items over 0-6. */
function cronWeekdayRange(start: number, end: number, step: number): FieldItem[] {
  const items: FieldItem[] = [];
  const reachesSeven = end === 7 && (7 - start) % step === 0;
  const lastBelowSeven = Math.min(end, 6);
  if (start <= lastBelowSeven) {
    items.push(
      start === lastBelowSeven || start + step > lastBelowSeven
        ? value(start)
        : { kind: 'range', start, end: lastBelowSeven, step },
    );
  }
  if (reachesSeven) items.push(value(0));
  return items;
}

/**
 * `n#k` (the k-th weekday n of the month) and `nL` (the last weekday n), shared with the AWS
 * parser; `toModel` renumbers the syntax's weekday into the model's 0-6.
 */
export function readWeekdaySpecial(
  part: Token,
  rule: FieldRule,
  toModel: (weekday: number) => number,
): DayOfWeekItem | undefined {
  const hash = part.text.indexOf('#');
  if (hash >= 0) {
    const weekday = readValue({ text: part.text.slice(0, hash), position: part.position }, rule);
    const nthText = part.text.slice(hash + 1);
    if (!/^\d+$/.test(nthText) || Number(nthText) < 1 || Number(nthText) > 5) {
      throw calendarError(
        `${rule.label} field: occurrence "${nthText}" in "${part.text}" is out of range 1-5`,
        part.position + hash + 1,
      );
    }
    return { kind: 'nth-weekday', weekday: toModel(weekday), n: Number(nthText) };
  }
  if (part.text.length > 1 && /L$/i.test(part.text)) {
    const weekday = readValue({ text: part.text.slice(0, -1), position: part.position }, rule);
    return { kind: 'last-weekday-of-month', weekday: toModel(weekday) };
  }
  return undefined;
}
