/**
 * Schedules -> AWS text: `cron(min hour dom month dow year)` with weekdays 1-7 (SUN = 1) and
 * exactly one `?`, and `rate(N unit)` with AWS's singular/plural rule. Throws
 * `calendar.unrepresentable` for what AWS cannot say.
 */
import type {
  CalendarSpec,
  DayOfMonthItem,
  DayOfWeekItem,
  Field,
  FieldItem,
  IntervalSpec,
} from './calendar-spec.ts';
import { CALENDAR_UNREPRESENTABLE, calendarError } from './calendar-error.ts';
import { formatDayOfMonthSpecial, formatItem, formatWeekdayItem, unrepresentable } from './cron-printer.ts';

/** AWS writes a step to the end of the field as `start/step` (`0/15`); other items as in cron. */
function formatAwsItem(item: FieldItem, max: number, shift = 0): string {
  if (item.kind === 'value') return formatItem(item, max, shift);
  const reachesEnd = item.kind === 'repeat' || item.fromAny === true || item.end === max;
  if (reachesEnd && item.step > 1 && item.start < max) return `${item.start + shift}/${item.step}`;
  return formatItem(item, max, shift);
}

function formatAwsDay(spec: CalendarSpec, item: DayOfMonthItem): string {
  return item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat'
    ? formatAwsItem(item, 31)
    : formatDayOfMonthSpecial(spec, item);
}

function formatAwsField(field: Field, max: number): string {
  return field.kind === 'any' ? '*' : field.items.map((item) => formatAwsItem(item, max)).join(',');
}

function formatAwsWeekday(item: DayOfWeekItem): string {
  return item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat'
    ? formatAwsItem(item, 6, 1)
    : formatWeekdayItem(item, 1);
}

export function formatAwsCron(spec: CalendarSpec): string {
  if (spec.microsecond !== undefined || spec.microsecondOfMinute !== undefined) {
    throw unrepresentable(spec, 'AWS has no fractions of a second', 'AWS cron()');
  }
  const second = spec.second;
  if (!(
    second.kind === 'list' &&
    second.items.length === 1 &&
    second.items[0]?.kind === 'value' &&
    second.items[0].value === 0
  )) {
    throw unrepresentable(spec, 'AWS has no seconds field', 'AWS cron()');
  }
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  let domText: string;
  let dowText: string;
  if (dow.kind === 'any') {
    domText = dom.kind === 'any' ? '*' : dom.items.map((item) => formatAwsDay(spec, item)).join(',');
    dowText = '?';
  } else if (dom.kind === 'any') {
    domText = '?';
    dowText = dow.items.map(formatAwsWeekday).join(',');
  } else {
    throw unrepresentable(spec, 'AWS cannot restrict both day-of-month and day-of-week', 'AWS cron()');
  }
  const fields = [formatAwsField(spec.minute, 59), formatAwsField(spec.hour, 23), domText];
  fields.push(formatAwsField(spec.month, 12), dowText, formatAwsField(spec.year, 2199));
  return `cron(${fields.join(' ')})`;
}

const RATE_UNITS: readonly (readonly [string, number])[] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function formatAwsRate(spec: IntervalSpec): string {
  const fits = spec.anchorMs % spec.everyMs === 0;
  for (const [unit, size] of RATE_UNITS) {
    if (fits && spec.everyMs % size === 0) {
      const count = spec.everyMs / size;
      return `rate(${count} ${unit}${count === 1 ? '' : 's'})`;
    }
  }
  throw calendarError(
    `"${spec.source}" cannot be written as AWS rate(): ${fits ? 'the period is not a whole number of minutes' : 'rate() has no offset'}`,
    0,
    CALENDAR_UNREPRESENTABLE,
  );
}
