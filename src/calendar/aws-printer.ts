/**
 * Schedules -> AWS text: `cron(min hour dom month dow year)` with weekdays 1-7 (SUN = 1) and
 * exactly one `?`, and `rate(N unit)` with AWS's singular/plural rule. Throws
 * `calendar.unrepresentable` for what AWS cannot say.
 */
import type { CalendarSpec, IntervalSpec } from './calendar-spec.ts';
import { CALENDAR_UNREPRESENTABLE, calendarError } from './calendar-error.ts';
import { formatDayOfMonthSpecial, formatField, formatWeekdayItem, unrepresentable } from './cron-printer.ts';

export function formatAwsCron(spec: CalendarSpec): string {
  if (spec.microsecond !== undefined || spec.microsecondOfMinute !== undefined) {
    throw unrepresentable(spec, 'AWS has no fractions of a second', 'AWS cron()');
  }
  const second = spec.second;
  if (!(second.kind === 'list' && second.items.length === 1 && second.items[0]?.kind === 'value' && second.items[0].value === 0)) {
    throw unrepresentable(spec, 'AWS has no seconds field', 'AWS cron()');
  }
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  let domText: string;
  let dowText: string;
  if (dow.kind === 'any') {
    domText = dom.kind === 'any' ? '*' : dom.items.map((item) => formatDayOfMonthSpecial(spec, item)).join(',');
    dowText = '?';
  } else if (dom.kind === 'any') {
    domText = '?';
    dowText = dow.items.map((item) => formatWeekdayItem(item, 1)).join(',');
  } else {
    throw unrepresentable(spec, 'AWS cannot restrict both day-of-month and day-of-week', 'AWS cron()');
  }
  const year = spec.year.kind === 'any' ? '*' : formatField(spec.year, 2199);
  return `cron(${formatField(spec.minute, 59)} ${formatField(spec.hour, 23)} ${domText} ${formatField(spec.month, 12)} ${dowText} ${year})`;
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
