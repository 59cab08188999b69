/**
 * Vixie cron's day rule for other platforms: a schedule fires on a day when its day of month OR its
 * weekday matches only when both fields are restricted and neither starts with `*` (`*\/2` counts
 * as unrestricted, so `0 0 *\/2 * 1` is odd days that are Mondays). Exporters whose platform knows
 * only "both must match" (OnCalendar, EventBridge, Task Scheduler) use these instead of reading
 * `dayMatch` themselves.
 */
import type { CalendarSpec, DayMatch } from './calendar-spec.ts';
import { startsWithStar } from './day-rules.ts';

/** How the days of `spec` combine as the engine fires it: `or` only in Vixie's own case. */
export function effectiveDayMatch(spec: CalendarSpec): DayMatch {
  const { dayOfMonth, dayOfWeek } = spec;
  if (spec.dayMatch !== 'or' || dayOfMonth.kind === 'any' || dayOfWeek.kind === 'any') return 'and';
  return startsWithStar(dayOfMonth) || startsWithStar(dayOfWeek) ? 'and' : 'or';
}

/** `spec` as specs whose days need both fields to match, and whose union is the same fires. */
export function dayUnion(spec: CalendarSpec): CalendarSpec[] {
  if (effectiveDayMatch(spec) === 'and') return [{ ...spec, dayMatch: 'and' }];
  return [
    { ...spec, dayMatch: 'and', dayOfWeek: { kind: 'any' } },
    { ...spec, dayMatch: 'and', dayOfMonth: { kind: 'any' } },
  ];
}
