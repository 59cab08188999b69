/**
 * The weekday part of an OnCalendar expression (`Mon..Fri`, `sat,sun`, `Monday-Wednesday`) as a
 * 7-bit set in systemd's order (bit 0 = Monday ... bit 6 = Sunday), its reading, its printing,
 * and its translation to the model's day-of-week items (0-6, Sunday = 0).
 */
import type { DayOfWeekField, DayOfWeekItem, FieldItem } from './calendar-spec.ts';
import { describeTokenAt, invalidOnCalendar } from './systemd-error.ts';

export const ALL_WEEKDAYS = 0b111_1111;

const SHORT_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const LONG_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Which name the text starts with, long names first, any case; systemd's index (0 = Monday). */
function matchName(
  text: string,
  position: number,
): { readonly day: number; readonly length: number } | undefined {
  const rest = text.slice(position, position + 9).toLowerCase();
  for (let day = 0; day < 7; day++) {
    for (const name of [LONG_NAMES[day] ?? '', SHORT_NAMES[day] ?? '']) {
      if (rest.startsWith(name.toLowerCase())) return { day, length: name.length };
    }
  }
  return undefined;
}

export function startsWithWeekdayName(text: string, position: number): boolean {
  return matchName(text, position) !== undefined;
}

export interface WeekdaysParse {
  /** 0 when the expression has no weekday part. */
  readonly bits: number;
  /** Where the date or time starts (spaces after the weekdays skipped). */
  readonly end: number;
}

const EXPECTED_AFTER_NAME = "',', '..' and another weekday, or a space before the date or time";

/**
 * Reads the optional weekday list at the start of `text`, as systemd's `parse_weekdays`: names
 * separated by `,`, ranges with `..` (or the old `-`) in Monday-to-Sunday order, a trailing comma
 * allowed, an open range not.
 */
export function parseWeekdays(text: string): WeekdaysParse {
  let bits = 0;
  let position = 0;
  let rangeFrom: { readonly day: number; readonly at: number } | undefined;
  let first = true;
  for (;;) {
    const match = matchName(text, position);
    if (match === undefined) {
      if (first) return { bits: 0, end: 0 };
      throw invalidOnCalendar(
        position,
        describeTokenAt(text, position),
        'a weekday name (Mon, Tuesday, ...)',
      );
    }
    const after = text.charAt(position + match.length);
    if (!['', '-', '.', ',', ' '].includes(after)) {
      throw invalidOnCalendar(
        position,
        `weekday ${describeTokenAt(text, position)}`,
        'a weekday name, short or long (Mon or Monday), followed by ' + EXPECTED_AFTER_NAME,
      );
    }
    bits |= 1 << match.day;
    if (rangeFrom !== undefined) {
      if (rangeFrom.day > match.day) {
        throw invalidOnCalendar(
          rangeFrom.at,
          `weekday range ${text.slice(rangeFrom.at, position + match.length)}`,
          'a range in Monday-to-Sunday order (Mon..Fri, Sat..Sun), or a list (Fri,Sat,Sun,Mon)',
        );
      }
      for (let day = rangeFrom.day + 1; day < match.day; day++) bits |= 1 << day;
    }
    const nameAt = position;
    position += match.length;
    const next = text.charAt(position);
    if (next === '') return { bits, end: position };
    if (next === ' ') return { bits, end: skipSpaces(text, position) };
    if (next === '.' || next === '-') {
      if (rangeFrom !== undefined) {
        throw invalidOnCalendar(
          position,
          `a second range mark after ${text.slice(rangeFrom.at, position)}`,
          "',' or a space",
        );
      }
      if (next === '.' && text.charAt(position + 1) !== '.') {
        throw invalidOnCalendar(
          position,
          `'.' after weekday ${text.slice(nameAt, position)}`,
          "'..' for a range",
        );
      }
      rangeFrom = { day: match.day, at: nameAt };
      position += next === '.' ? 2 : 1;
    } else {
      rangeFrom = undefined;
      position += 1;
    }
    const following = text.charAt(position);
    if (following === '' || following === ' ') {
      if (rangeFrom !== undefined) {
        throw invalidOnCalendar(
          position,
          `open weekday range ${text.slice(rangeFrom.at, position)}`,
          'the weekday that ends the range',
        );
      }
      return { bits, end: skipSpaces(text, position) };
    }
    first = false;
  }
}

export function skipSpaces(text: string, position: number): number {
  let end = position;
  while (text.charAt(end) === ' ') end++;
  return end;
}

/** The weekday part as systemd prints it (`Mon..Wed,Fri`); '' for no restriction. */
export function formatWeekdays(bits: number): string {
  if (bits <= 0 || bits >= ALL_WEEKDAYS) return '';
  const parts: string[] = [];
  let day = 0;
  while (day < 7) {
    if ((bits & (1 << day)) === 0) {
      day++;
      continue;
    }
    let last = day;
    while (last + 1 < 7 && (bits & (1 << (last + 1))) !== 0) last++;
    const from = SHORT_NAMES[day] ?? '';
    const to = SHORT_NAMES[last] ?? '';
    if (last === day) parts.push(from);
    else parts.push(`${from}${last === day + 1 ? ',' : '..'}${to}`);
    day = last + 1;
  }
  return parts.join(',');
}

/** systemd's index (0 = Monday) to the model's weekday (0 = Sunday), and back. */
const toModelDay = (day: number): number => (day + 1) % 7;
const toSystemdDay = (weekday: number): number => (weekday + 6) % 7;

/** The model's day-of-week field for a systemd weekday set: Sunday first, then runs from Monday. */
export function weekdayBitsToField(bits: number): DayOfWeekField {
  if (bits <= 0 || bits >= ALL_WEEKDAYS) return { kind: 'any' };
  const items: FieldItem[] = [];
  const sunday = 6;
  if ((bits & (1 << sunday)) !== 0) items.push({ kind: 'value', value: 0 });
  let day = 0;
  while (day < sunday) {
    if ((bits & (1 << day)) === 0) {
      day++;
      continue;
    }
    let last = day;
    while (last + 1 < sunday && (bits & (1 << (last + 1))) !== 0) last++;
    items.push(
      last === day
        ? { kind: 'value', value: toModelDay(day) }
        : { kind: 'range', start: toModelDay(day), end: toModelDay(last), step: 1 },
    );
    day = last + 1;
  }
  return { kind: 'list', items };
}

/**
 * The systemd weekday set of a model day-of-week item (weekday 7 read as Sunday, as cron does);
 * `undefined` for items OnCalendar cannot say (`5#3`, `5L`).
 */
export function weekdayItemToBits(item: DayOfWeekItem): number | undefined {
  const bit = (weekday: number): number => 1 << toSystemdDay(weekday % 7);
  switch (item.kind) {
    case 'value':
      return bit(item.value);
    case 'range': {
      let bits = 0;
      for (let weekday = item.start; weekday <= item.end; weekday += Math.max(1, item.step))
        bits |= bit(weekday);
      return bits;
    }
    case 'repeat': {
      let bits = 0;
      for (let weekday = item.start; weekday <= 6; weekday += Math.max(1, item.step)) bits |= bit(weekday);
      return bits;
    }
    case 'nth-weekday':
    case 'last-weekday-of-month':
      return undefined;
  }
}
