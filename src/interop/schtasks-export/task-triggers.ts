/**
 * A job's schedules as Task Scheduler triggers (schema 1.2): a CalendarTrigger per time-of-day
 * progression and day rule, a TimeTrigger repeating forever for an interval, a BootTrigger for
 * `@reboot`. Exact where triggers can say it, else the schedule is left out with the reason.
 * Times are wall times without a zone: Task Scheduler reads them in the machine's zone.
 */
import type { ResolvedSchedule } from '../../config/index.ts';
import type { CalendarSpec, Field, IntervalSpec } from '../../calendar/index.ts';
import { effectiveDayMatch, monthNames, weekdayNames } from '../../calendar/index.ts';
import { element } from './xml-element.ts';
import type { XmlElement } from './xml-element.ts';

/** What one schedule becomes: its trigger elements, or why it has none. */
export type TaskTriggers =
  | { readonly kind: 'triggers'; readonly triggers: readonly XmlElement[]; readonly zone: string | undefined }
  | { readonly kind: 'none'; readonly reason: string };

/** Task Scheduler keeps at most 48 triggers per task. */
export const maxTriggers = 48;

/** The day the StartBoundary of every trigger is on: any past day works for the rules written. */
const startDay = '2000-01-01';
const minuteMs = 60_000;
const dayMs = 86_400_000;
const weekdays = weekdayNames;
const months = monthNames;

/** Triggers for one schedule; `randomDelay` is an ISO 8601 duration or undefined. */
export function taskTriggers(
  schedule: ResolvedSchedule,
  jobTimezone: string,
  randomDelay: string | undefined,
): TaskTriggers {
  const spec = schedule.spec;
  switch (spec.kind) {
    case 'startup':
      return {
        kind: 'triggers',
        triggers: [element('BootTrigger', [element('Enabled', 'true')])],
        zone: undefined,
      };
    case 'interval':
      return intervalTriggers(spec, randomDelay);
    case 'calendar':
      return calendarTriggers(spec, spec.timezone ?? jobTimezone, randomDelay);
  }
}

function intervalTriggers(spec: IntervalSpec, randomDelay: string | undefined): TaskTriggers {
  const every = spec.everyMs;
  if (every % minuteMs !== 0 || spec.anchorMs % 1000 !== 0)
    return { kind: 'none', reason: 'Task Scheduler repeats in whole minutes' };
  if (every > 31 * dayMs) return { kind: 'none', reason: 'Task Scheduler repeats at most every 31 days' };
  // The first fire on or after the start day, counted from the anchor as cronplane counts.
  const from = Date.parse(`${startDay}T00:00:00Z`);
  const first = spec.anchorMs + Math.ceil((from - spec.anchorMs) / every) * every;
  const trigger = element('TimeTrigger', [
    element('StartBoundary', new Date(first).toISOString().slice(0, 19)),
    element('Repetition', [element('Interval', isoDuration(every)), element('StopAtDurationEnd', 'false')]),
    ...(randomDelay === undefined ? [] : [element('RandomDelay', randomDelay)]),
  ]);
  // A period that divides an hour fires alike in every zone whose offset is whole hours.
  const zone = (60 * minuteMs) % every === 0 ? undefined : 'UTC';
  return { kind: 'triggers', triggers: [trigger], zone };
}

/** Minutes of the day from a start, `count` times `interval` minutes apart. */
interface Progression {
  readonly start: number;
  readonly interval: number;
  readonly count: number;
}

function calendarTriggers(spec: CalendarSpec, zone: string, randomDelay: string | undefined): TaskTriggers {
  const seconds = expand(spec.second, 0, 59);
  if (
    seconds?.length !== 1 ||
    seconds[0] !== 0 ||
    spec.microsecond !== undefined ||
    spec.microsecondOfMinute !== undefined
  )
    return {
      kind: 'none',
      reason: 'it fires at seconds other than 0; Task Scheduler starts on whole minutes',
    };
  if (spec.year.kind !== 'any') return { kind: 'none', reason: 'it names years' };
  const minutes = expand(spec.minute, 0, 59) ?? [];
  const hours = expand(spec.hour, 0, 23) ?? [];
  const days = daySchedules(spec);
  if (typeof days === 'string') return { kind: 'none', reason: days };
  const progressions = timeProgressions(hours, minutes);
  const count = days.length * progressions.length;
  if (count > maxTriggers)
    return {
      kind: 'none',
      reason: `it needs ${count} triggers, more than the ${maxTriggers} a task can hold`,
    };
  const triggers = days.flatMap((day) =>
    progressions.map((time) =>
      element('CalendarTrigger', [
        element('Enabled', 'true'),
        element('StartBoundary', `${startDay}T${clock(time.start)}:00`),
        ...(time.count === 1
          ? []
          : [
              element('Repetition', [
                element('Interval', isoDuration(time.interval * minuteMs)),
                // Half an interval past the last fire: the next one is outside, whichever way the end is read.
                element(
                  'Duration',
                  isoDuration(((time.count - 1) * time.interval + time.interval / 2) * minuteMs),
                ),
                element('StopAtDurationEnd', 'false'),
              ]),
            ]),
        ...(randomDelay === undefined ? [] : [element('RandomDelay', randomDelay)]),
        day,
      ]),
    ),
  );
  return { kind: 'triggers', triggers, zone };
}

/**
 * The times of day as few progressions as can say them: one for the whole set when its times are
 * evenly spaced (`*\/15 9-17`), else one per hour when the minutes are (`0,30 9,13`), else one per
 * minute when the hours are (`5,10 *`), else one per time.
 */
function timeProgressions(hours: readonly number[], minutes: readonly number[]): Progression[] {
  const times = hours.flatMap((hour) => minutes.map((minute) => hour * 60 + minute)).sort((a, b) => a - b);
  const whole = asProgression(times);
  if (whole !== undefined) return [whole];
  const perHour = hours.map((hour) => asProgression(minutes.map((minute) => hour * 60 + minute)));
  const perMinute = minutes.map((minute) => asProgression(hours.map((hour) => hour * 60 + minute)));
  const options = [perHour, perMinute].filter((option): option is Progression[] =>
    option.every((each) => each !== undefined),
  );
  options.sort((a, b) => a.length - b.length);
  return options[0] ?? times.map((start) => ({ start, interval: 1, count: 1 }));
}

function asProgression(times: readonly number[]): Progression | undefined {
  const [start, second] = times;
  if (start === undefined) return undefined;
  if (second === undefined) return { start, interval: 1, count: 1 };
  const interval = second - start;
  return times.every((time, index) => time === start + index * interval)
    ? { start, interval, count: times.length }
    : undefined;
}

/** The day rules (`ScheduleBy...` elements) whose union is the schedule's days, or why there are none. */
function daySchedules(spec: CalendarSpec): XmlElement[] | string {
  const monthList = expand(spec.month, 1, 12);
  if (monthList === undefined) return 'its months cannot be listed';
  const monthsElement = element(
    'Months',
    monthList.map((month) => element(months[month - 1] ?? '')),
  );
  const allMonths = monthList.length === 12;
  const dom = dayOfMonthParts(spec);
  const dow = dayOfWeekParts(spec);
  if (typeof dom === 'string') return dom;
  if (typeof dow === 'string') return dow;
  const byMonth = (dayElements: XmlElement[]) =>
    element('ScheduleByMonth', [element('DaysOfMonth', dayElements), monthsElement]);
  const byWeekday = (weeks: readonly string[], days: readonly number[]) =>
    element('ScheduleByMonthDayOfWeek', [
      element(
        'Weeks',
        weeks.map((week) => element('Week', week)),
      ),
      daysOfWeek(days),
      monthsElement,
    ]);
  const monthDays = (): XmlElement[] => [
    ...(dom?.days ?? []).map((day) => element('Day', String(day))),
    ...(dom?.last === true ? [element('Day', 'Last')] : []),
  ];
  const weekdayRules = (): XmlElement[] => {
    if (dow === undefined) return [];
    const rules: XmlElement[] = [];
    if (dow.days.length > 0)
      rules.push(
        allMonths
          ? element('ScheduleByWeek', [element('WeeksInterval', '1'), daysOfWeek(dow.days)])
          : byWeekday(['1', '2', '3', '4', 'Last'], dow.days),
      );
    for (const [week, days] of dow.weeks) rules.push(byWeekday([week], days));
    return rules;
  };

  if (dom === undefined && dow === undefined)
    return [
      allMonths
        ? element('ScheduleByDay', [element('DaysInterval', '1')])
        : byMonth(range(1, 31).map((day) => element('Day', String(day)))),
    ];
  if (dom === undefined) return weekdayRules();
  if (dow === undefined) return [byMonth(monthDays())];
  if (effectiveDayMatch(spec) === 'or') return [byMonth(monthDays()), ...weekdayRules()];
  // Day of month AND weekday: exact only when the days are whole weeks of the month (1-7 is week 1).
  const weeks = wholeWeeks(dom.days);
  if (weeks === undefined || dom.last || dow.weeks.size > 0)
    return 'it needs a day of the month AND a weekday, which Task Scheduler says only as the nth weekday (days 1-7, 8-14 ...)';
  return [byWeekday(weeks, dow.days)];
}

function daysOfWeek(days: readonly number[]): XmlElement {
  return element(
    'DaysOfWeek',
    days.map((day) => element(weekdays[day] ?? '')),
  );
}

/** Days of the month, and the last day; undefined for every day. */
function dayOfMonthParts(spec: CalendarSpec): { days: number[]; last: boolean } | undefined | string {
  if (spec.dayOfMonth.kind === 'any') return undefined;
  const days = new Set<number>();
  let last = false;
  for (const item of spec.dayOfMonth.items) {
    if (item.kind === 'last-day' && item.offset === 0) last = true;
    else if (item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat')
      for (const day of expandItem(item, 31)) days.add(day);
    else return 'Task Scheduler has no nearest weekday (W), last day minus N or days from the end (~)';
  }
  return { days: [...days].sort((a, b) => a - b), last };
}

/** Weekdays on every week, and weekdays on given weeks of the month (`5#3`, `5L`); undefined for every day. */
function dayOfWeekParts(
  spec: CalendarSpec,
): { days: number[]; weeks: Map<string, number[]> } | undefined | string {
  if (spec.dayOfWeek.kind === 'any') return undefined;
  const days = new Set<number>();
  const weeks = new Map<string, number[]>();
  const add = (week: string, day: number) => weeks.set(week, [...(weeks.get(week) ?? []), day]);
  for (const item of spec.dayOfWeek.items) {
    if (item.kind === 'nth-weekday') {
      if (item.n > 4) return 'Task Scheduler has no fifth weekday of the month (#5)';
      add(String(item.n), item.weekday);
    } else if (item.kind === 'last-weekday-of-month') add('Last', item.weekday);
    else for (const day of expandItem(item, 6)) days.add(day);
  }
  return { days: [...days].sort((a, b) => a - b), weeks };
}

function wholeWeeks(days: readonly number[]): string[] | undefined {
  const weeks: string[] = [];
  for (let week = 1; week <= 4; week++) {
    const inWeek = range(7 * week - 6, 7 * week).filter((day) => days.includes(day));
    if (inWeek.length === 7) weeks.push(String(week));
    else if (inWeek.length > 0) return undefined;
  }
  return weeks.length > 0 && days.every((day) => day <= 28) ? weeks : undefined;
}

/** The values of a plain field, or undefined for one with other items. */
function expand(field: Field, min: number, max: number): number[] | undefined {
  if (field.kind === 'any') return range(min, max);
  const values = new Set<number>();
  for (const item of field.items) for (const value of expandItem(item, max)) values.add(value);
  return [...values].filter((value) => value >= min && value <= max).sort((a, b) => a - b);
}

function expandItem(
  item:
    | { kind: 'value'; value: number }
    | { kind: 'range'; start: number; end: number; step: number }
    | { kind: 'repeat'; start: number; step: number },
  max: number,
): number[] {
  switch (item.kind) {
    case 'value':
      return [item.value];
    case 'range':
      return range(item.start, item.end).filter((value) => (value - item.start) % item.step === 0);
    case 'repeat':
      return range(item.start, max).filter((value) => (value - item.start) % item.step === 0);
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

function clock(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/** An ISO 8601 duration as Task Scheduler writes them: `P1DT2H30M`, `PT15M`, `PT0S`. */
export function isoDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days > 0 ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}
