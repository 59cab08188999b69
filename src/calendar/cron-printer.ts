/**
 * CalendarSpec -> cron text: the canonical form `normalizeSchedule` gives for cron, and the
 * translation an exporter needs. Numbers only (weekdays 0-6, Sunday 0; months 1-12), items in the
 * order written, 5 fields when the seconds are `0`, else 6, `CRON_TZ=` when the spec names a zone.
 * Throws `calendar.unrepresentable` for what cron cannot say (years, sub-seconds, `~` ranges with
 * a step that is not a plain list of `L-n`).
 */
import type {
  CalendarSpec,
  DayOfMonthField,
  DayOfMonthItem,
  DayOfWeekField,
  DayOfWeekItem,
  Field,
  FieldItem,
} from './calendar-spec.ts';
import { CALENDAR_UNREPRESENTABLE, calendarError } from './calendar-error.ts';
import { startsWithStar } from './day-rules.ts';

export function formatCron(spec: CalendarSpec): string {
  if (spec.microsecond !== undefined || spec.microsecondOfMinute !== undefined) {
    throw unrepresentable(spec, 'cron has no fractions of a second');
  }
  if (spec.year.kind !== 'any') throw unrepresentable(spec, 'cron has no year field');
  const fields: string[] = [];
  const zeroSecond =
    spec.second.kind === 'list' && spec.second.items.length === 1 && isValue(spec.second.items[0], 0);
  if (!zeroSecond) fields.push(formatField(spec.second, 59));
  fields.push(formatField(spec.minute, 59), formatField(spec.hour, 23));
  fields.push(formatDayOfMonth(spec, spec.dayOfMonth), formatField(spec.month, 12));
  const andPrefix =
    spec.dayMatch === 'and' &&
    spec.dayOfMonth.kind === 'list' &&
    spec.dayOfWeek.kind === 'list' &&
    !startsWithStar(spec.dayOfMonth) &&
    !startsWithStar(spec.dayOfWeek);
  fields.push((andPrefix ? '+' : '') + formatDayOfWeek(spec.dayOfWeek));
  const zone = spec.timezone === undefined ? '' : `CRON_TZ=${spec.timezone} `;
  return zone + fields.join(' ');
}

function isValue(item: FieldItem | undefined, value: number): boolean {
  return item?.kind === 'value' && item.value === value;
}

/** One plain item; `max` is the field's last value (a repeat runs to it). */
export function formatItem(item: FieldItem, max: number, shift = 0): string {
  switch (item.kind) {
    case 'value':
      return String(item.value + shift);
    case 'range':
      if (item.fromAny === true) return item.step === 1 ? '*' : `*/${item.step}`;
      if (item.start === item.end) return String(item.start + shift);
      return `${item.start + shift}-${item.end + shift}${item.step === 1 ? '' : `/${item.step}`}`;
    case 'repeat':
      if (item.start >= max) return String(item.start + shift);
      return `${item.start + shift}-${max + shift}${item.step === 1 ? '' : `/${item.step}`}`;
    default:
      return assertNever(item);
  }
}

export function formatField(field: Field, max: number, shift = 0): string {
  return field.kind === 'any' ? '*' : field.items.map((item) => formatItem(item, max, shift)).join(',');
}

/** `L`, `L-n`, `LW`, `nW`, and systemd `~` forms as lists of `L-n`. */
export function formatDayOfMonthSpecial(spec: CalendarSpec, item: DayOfMonthItem): string {
  switch (item.kind) {
    case 'value':
    case 'range':
    case 'repeat':
      return formatItem(item, 31);
    case 'last-day':
      return item.offset === 0 ? 'L' : `L-${item.offset}`;
    case 'nearest-weekday':
      return `${item.day}W`;
    case 'last-weekday':
      return 'LW';
    case 'from-end': {
      const step = item.step ?? 1;
      const last = item.end ?? (item.step === undefined ? item.start : 1);
      const parts: string[] = [];
      for (let k = Math.max(item.start, last); k >= Math.min(item.start, last); k -= step) {
        parts.push(k === 1 ? 'L' : `L-${k - 1}`);
      }
      if (parts.length === 0) throw unrepresentable(spec, 'an empty day-from-end range');
      return parts.join(',');
    }
    default:
      return assertNever(item);
  }
}

function formatDayOfMonth(spec: CalendarSpec, field: DayOfMonthField): string {
  return field.kind === 'any'
    ? '*'
    : field.items.map((item) => formatDayOfMonthSpecial(spec, item)).join(',');
}

/** Day-of-week in cron numbering (0-6) or, with shift 1, AWS numbering (1-7). */
export function formatWeekdayItem(item: DayOfWeekItem, shift = 0): string {
  switch (item.kind) {
    case 'value':
    case 'range':
    case 'repeat':
      return formatItem(item, 6, shift);
    case 'nth-weekday':
      return `${item.weekday + shift}#${item.n}`;
    case 'last-weekday-of-month':
      return `${item.weekday + shift}L`;
    default:
      return assertNever(item);
  }
}

function formatDayOfWeek(field: DayOfWeekField): string {
  return field.kind === 'any' ? '*' : field.items.map((item) => formatWeekdayItem(item)).join(',');
}

export function unrepresentable(spec: CalendarSpec, reason: string, syntax = 'cron'): Error {
  return calendarError(
    `"${spec.source}" cannot be written in ${syntax}: ${reason}`,
    0,
    CALENDAR_UNREPRESENTABLE,
  );
}

function assertNever(value: never): never {
  throw new Error(`unexpected calendar item ${JSON.stringify(value)}`);
}
