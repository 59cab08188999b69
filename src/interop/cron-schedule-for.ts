import type { ResolvedSchedule } from '../config/index.ts';
import { formatCron } from '../calendar/index.ts';
import type { CalendarSpec, IntervalSpec } from '../calendar/index.ts';
import { coerceError } from '../errors/index.ts';

/** A schedule as a 5-field cron line says it, the zone it is read in, or why it cannot be said. */
export type CronSchedule =
  | { readonly kind: 'cron'; readonly fields: string; readonly timezone: string }
  | { readonly kind: 'startup' }
  | { readonly kind: 'none'; readonly reason: string };

const minuteMs = 60_000;
const hourMs = 3_600_000;
const dayMs = 86_400_000;

/**
 * One of a job's schedules in the 5-field cron of Vixie cron, cronie and Kubernetes (robfig/cron):
 * printed by the calendar engine (`formatCron`), exact or not at all. Seconds other than 0, years,
 * `L`/`W`/`#` days and systemd's "day of month AND weekday" have no such form; an interval has one
 * only when its period divides an hour or a day, and is then read in UTC (periods count from the epoch).
 */
export function cronScheduleFor(schedule: ResolvedSchedule, jobTimezone: string): CronSchedule {
  const spec = schedule.spec;
  switch (spec.kind) {
    case 'startup':
      return { kind: 'startup' };
    case 'interval':
      return intervalAsCron(spec);
    case 'calendar':
      return calendarAsCron(spec, jobTimezone);
  }
}

function calendarAsCron(spec: CalendarSpec, jobTimezone: string): CronSchedule {
  const second = spec.second;
  const onlyZero =
    second.kind === 'list' &&
    second.items.length === 1 &&
    second.items[0]?.kind === 'value' &&
    second.items[0].value === 0;
  if (!onlyZero) return { kind: 'none', reason: 'it fires at seconds other than 0, which cron cannot say' };
  const special = [
    ...(spec.dayOfMonth.kind === 'list' ? spec.dayOfMonth.items : []),
    ...(spec.dayOfWeek.kind === 'list' ? spec.dayOfWeek.items : []),
  ].find((item) => !['value', 'range', 'repeat'].includes(item.kind));
  if (special !== undefined)
    return {
      kind: 'none',
      reason: 'standard cron has no last-day, nearest-weekday or nth-weekday (L, W, #)',
    };
  let text: string;
  try {
    text = formatCron({ ...spec, timezone: undefined });
  } catch (thrown) {
    return { kind: 'none', reason: coerceError(thrown).message };
  }
  // `+` is cronplane's "day of month AND weekday"; every cron reads the two as OR.
  if (text.includes('+'))
    return { kind: 'none', reason: 'it needs a day of the month AND a weekday; cron reads the two as OR' };
  return { kind: 'cron', fields: text, timezone: spec.timezone ?? jobTimezone };
}

function intervalAsCron(spec: IntervalSpec): CronSchedule {
  const every = spec.everyMs;
  const offset = ((spec.anchorMs % every) + every) % every;
  const uneven = {
    kind: 'none',
    reason: `"${spec.source}" does not divide an hour or a day into whole minutes from the hour`,
  } as const;
  if (every % minuteMs !== 0 || offset % minuteMs !== 0) return uneven;
  if (every <= hourMs && hourMs % every === 0) {
    const step = every / minuteMs;
    const start = offset / minuteMs;
    const minute = step === 60 ? `${start}` : start === 0 ? `*/${step}` : `${start}-59/${step}`;
    return { kind: 'cron', fields: `${minute} * * * *`, timezone: 'UTC' };
  }
  if (every <= dayMs && dayMs % every === 0 && every % hourMs === 0) {
    const step = every / hourMs;
    const minute = (offset % hourMs) / minuteMs;
    const start = Math.floor(offset / hourMs);
    const hour = step === 24 ? `${start}` : start === 0 ? `*/${step}` : `${start}-23/${step}`;
    return { kind: 'cron', fields: `${minute} ${hour} * * *`, timezone: 'UTC' };
  }
  return uneven;
}
