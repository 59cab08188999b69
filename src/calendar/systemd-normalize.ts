/**
 * A CalendarSpec printed as systemd's normalised OnCalendar form, exactly as
 * `systemd-analyze calendar` prints "Normalized form": `daily` is `*-*-* 00:00:00`,
 * `Mon-Fri 2:0` is `Mon..Fri *-*-* 02:00:00`. Specs from cron or AWS print as the equivalent
 * OnCalendar expression where one exists (the systemd exporter relies on that).
 */
import type { CalendarSpec, DayOfMonthField, DayOfWeekField } from './calendar-spec.ts';
import { ChainField, findChainProblems, formatChain, normalizeChain, type Chain } from './systemd-chain.ts';
import { notRepresentableOnCalendar } from './systemd-error.ts';
import {
  dayFieldToChain,
  fieldToChain,
  secondsFieldsToChain,
  UnrepresentableField,
} from './systemd-fields.ts';
import { ALL_WEEKDAYS, formatWeekdays, weekdayItemToBits } from './systemd-weekdays.ts';

/**
 * The normalised OnCalendar form of `spec`. Throws CronplaneError `calendar.unrepresentable`,
 * naming the reason, when OnCalendar cannot express the spec (cron `W`, `LW`, `#`, weekday `L`,
 * Vixie cron's day-of-month OR day-of-week, a mix of days from the start and from the end).
 */
export function normalizeSystemd(spec: CalendarSpec): string {
  try {
    return formatSpec(spec);
  } catch (error) {
    if (error instanceof UnrepresentableField) throw notRepresentableOnCalendar(spec.source, error.message);
    throw error;
  }
}

function formatSpec(spec: CalendarSpec): string {
  const { dayOfMonth, dayOfWeek } = combineDays(spec);
  const weekdays = weekdayBits(dayOfWeek);
  const day = dayFieldToChain(dayOfMonth);
  const chains = {
    year: checked(fieldToChain(spec.year, ChainField.year.to), 'year'),
    month: checked(fieldToChain(spec.month, ChainField.month.to), 'month'),
    day: checked(day.chain, 'day', day.endOfMonth),
    hour: checked(fieldToChain(spec.hour, ChainField.hour.to), 'hour'),
    minute: checked(fieldToChain(spec.minute, ChainField.minute.to), 'minute'),
    second: checked(secondsFieldsToChain(spec), 'second'),
  };
  const prefix = formatWeekdays(weekdays);
  const date = `${formatChain(chains.year, 'year')}-${formatChain(chains.month, 'month')}${day.endOfMonth ? '~' : '-'}${formatChain(chains.day, 'day')}`;
  const time = `${formatChain(chains.hour, 'hour')}:${formatChain(chains.minute, 'minute')}:${formatChain(chains.second, 'second')}`;
  return `${prefix === '' ? '' : `${prefix} `}${date} ${time}${formatZone(spec.timezone)}`;
}

function formatZone(timezone: string | undefined): string {
  if (timezone === undefined) return '';
  return timezone.toUpperCase() === 'UTC' ? ' UTC' : ` ${timezone}`;
}

/** Normalised as systemd does, and refused where systemd would refuse to read it back. */
function checked(chain: Chain, field: ChainField, endOfMonth = false): Chain {
  const normalized = normalizeChain(chain);
  const [problem] = findChainProblems(normalized, field, endOfMonth);
  if (problem !== undefined) {
    throw new UnrepresentableField(
      `its ${ChainField[field].name} field is outside what OnCalendar takes: expected ${problem.expected}`,
    );
  }
  return normalized;
}

function weekdayBits(field: DayOfWeekField): number {
  if (field.kind === 'any') return 0;
  let bits = 0;
  for (const item of field.items) {
    const itemBits = weekdayItemToBits(item);
    if (itemBits === undefined) {
      throw new UnrepresentableField(
        item.kind === 'nth-weekday'
          ? `weekday ${item.weekday}#${item.n} (the nth such weekday of the month) has no OnCalendar form`
          : `weekday ${item.kind === 'last-weekday-of-month' ? item.weekday : ''}L (the last such weekday of the month) has no OnCalendar form`,
      );
    }
    bits |= itemBits;
  }
  return bits;
}

function coversEveryDayOfMonth(field: DayOfMonthField): boolean {
  if (field.kind === 'any') return true;
  const days = new Set<number>();
  for (const item of field.items) {
    if (item.kind === 'value') days.add(item.value);
    else if (item.kind === 'range' || item.kind === 'repeat') {
      const end = item.kind === 'range' ? item.end : 31;
      for (let day = item.start; day <= end; day += Math.max(1, item.step)) days.add(day);
    }
  }
  for (let day = 1; day <= 31; day++) if (!days.has(day)) return false;
  return true;
}

/**
 * OnCalendar requires both the day of month and the weekday to match. Vixie cron fires when
 * either matches (when both are restricted): that is only expressible when one of them already
 * allows every day, and then the expression fires every day.
 */
function combineDays(spec: CalendarSpec): { dayOfMonth: DayOfMonthField; dayOfWeek: DayOfWeekField } {
  const { dayOfMonth, dayOfWeek } = spec;
  if (spec.dayMatch === 'and' || dayOfMonth.kind === 'any' || dayOfWeek.kind === 'any')
    return { dayOfMonth, dayOfWeek };
  const everyWeekday = (() => {
    try {
      return weekdayBits(dayOfWeek) === ALL_WEEKDAYS;
    } catch {
      return false;
    }
  })();
  if (coversEveryDayOfMonth(dayOfMonth) || everyWeekday)
    return { dayOfMonth: { kind: 'any' }, dayOfWeek: { kind: 'any' } };
  throw new UnrepresentableField(
    'it fires when the day of month OR the weekday matches (Vixie cron), while OnCalendar fires only when both match',
  );
}
