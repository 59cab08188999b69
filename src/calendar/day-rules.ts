/**
 * The day rules beyond plain values: cron `L`, `L-n`, `W`, `LW`, `#`, `nL`, systemd `~`, and
 * Vixie's "starts with *" test for the day-of-month / day-of-week combination.
 */
import type { DayOfMonthItem, DayOfWeekItem } from './calendar-spec.ts';

/**
 * True when a field counts as "unrestricted" for Vixie's day-of-month / day-of-week rule: it is
 * `*`, or (as Vixie and cronie decide from the field's first character) its first item is
 * written with `*` (`*\/2`, or `*` in a list such as `*,5`).
 */
export function startsWithStar(
  field: { readonly kind: 'any' } | { readonly items: readonly unknown[] },
): boolean {
  if (!('items' in field)) return true;
  const first = field.items[0] as { kind?: string; fromAny?: boolean } | undefined;
  return first?.kind === 'range' && first.fromAny === true;
}

/** The day of month of a special item, or a mask of days for systemd `~` ranges. */
export function specialDayOfMonth(
  item: DayOfMonthItem,
  n: number,
  weekdayOf: (day: number) => number,
): number | { readonly mask: number } {
  switch (item.kind) {
    case 'value':
    case 'range':
    case 'repeat':
      return 0; // plain items are in domBits
    case 'last-day':
      return n - item.offset;
    case 'nearest-weekday': {
      const day = item.day;
      if (day > n) return 0;
      const weekday = weekdayOf(day);
      if (weekday === 6) return day === 1 ? 3 : day - 1;
      if (weekday === 0) return day === n ? day - 2 : day + 1;
      return day;
    }
    case 'last-weekday': {
      const weekday = weekdayOf(n);
      return weekday === 6 ? n - 1 : weekday === 0 ? n - 2 : n;
    }
    case 'from-end': {
      // k counts from the end: 1 is the last day. start..end (end defaults to start, or to 1
      // with a step) walks towards the end of the month in steps of `step` days.
      const step = item.step ?? 1;
      const last = item.end ?? (item.step === undefined ? item.start : 1);
      const high = Math.max(item.start, last);
      const low = Math.min(item.start, last);
      let mask = 0;
      for (let k = high; k >= low; k -= step) {
        const day = n - k + 1;
        if (day >= 1 && day <= n) mask |= 1 << day;
      }
      return { mask };
    }
    default:
      return assertNever(item);
  }
}

export function specialDayOfWeek(item: DayOfWeekItem, n: number, firstWeekday: number): number {
  switch (item.kind) {
    case 'value':
    case 'range':
    case 'repeat':
      return 0;
    case 'nth-weekday':
      return 1 + ((item.weekday - firstWeekday + 7) % 7) + 7 * (item.n - 1);
    case 'last-weekday-of-month': {
      const lastWeekday = (firstWeekday + n - 1) % 7;
      return n - ((lastWeekday - item.weekday + 7) % 7);
    }
    default:
      return assertNever(item);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected day item ${JSON.stringify(value)}`);
}
