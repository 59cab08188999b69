/**
 * A job's schedule as Amazon EventBridge Scheduler expressions: a calendar as `cron(...)` printed
 * by the calendar engine (`formatAwsCron`: weekdays 1-7 from Sunday, exactly one `?`), a calendar
 * with a single instant as `at(...)`, an interval of whole minutes as `rate(...)`. Only what AWS
 * documents is written (no `/` in day-of-week, no `a-b/n`, `L`, `nW` and `n#k` alone); the
 * rest is a note saying why it was left out. See docs/interop.md "Amazon EventBridge Scheduler".
 */
import type {
  CalendarSpec,
  DayOfMonthItem,
  DayOfWeekItem,
  Field,
  FieldItem,
  IntervalSpec,
} from '../../calendar/index.ts';
import { CALENDAR_UNREPRESENTABLE, formatAwsCron, formatAwsRate, dayUnion } from '../../calendar/index.ts';
import type { ResolvedSchedule } from '../../config/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import { transitionHours } from './transition-hours.ts';

/** One schedule expression and the zone it is read in (`ScheduleExpressionTimezone`). */
export interface SchedulerExpression {
  readonly expression: string;
  readonly timezone: string;
}

export interface SchedulerExpressions {
  /** In the order of the job's schedules; a day-of-month OR weekday calendar gives two. */
  readonly expressions: readonly SchedulerExpression[];
  /** What could not be said exactly, and what was done: `[message, action]`. */
  readonly notes: readonly (readonly [string, string])[];
}

const minuteMs = 60_000;

export function schedulerExpressions(
  schedules: readonly ResolvedSchedule[],
  jobTimezone: string,
): SchedulerExpressions {
  const expressions: SchedulerExpression[] = [];
  const notes: [string, string][] = [];
  const leftOut = (schedule: ResolvedSchedule, reason: string) =>
    notes.push([`schedule "${schedule.text}" has no EventBridge Scheduler form: ${reason}`, 'left out']);
  for (const schedule of schedules) {
    const spec = schedule.spec;
    switch (spec.kind) {
      case 'startup':
        leftOut(schedule, 'EventBridge Scheduler has no start-up trigger');
        break;
      case 'interval': {
        const rate = rateFor(spec);
        if (typeof rate !== 'string') {
          leftOut(schedule, rate.reason);
          break;
        }
        expressions.push({ expression: rate, timezone: 'UTC' });
        const phase = phaseNote(spec, rate);
        if (phase !== undefined) notes.push(phase);
        break;
      }
      case 'calendar': {
        const timezone = spec.timezone ?? jobTimezone;
        const texts = calendarTexts(spec);
        if (!Array.isArray(texts)) {
          leftOut(schedule, texts.reason);
          break;
        }
        expressions.push(...texts.map((expression) => ({ expression, timezone })));
        if (texts.length > 1)
          notes.push([
            `schedule "${schedule.text}" fires when the day of month OR the weekday matches; one cron() restricts only one of them`,
            `became ${texts.length} schedules whose union is the same set of fires; on a day that matches both, both invoke the target`,
          ]);
        const changing = spec.syntax === 'cron' ? changeHours(spec, timezone) : [];
        if (changing.length > 0)
          notes.push([
            `cron schedule "${schedule.text}" fires at ${changing.map((hour) => `${String(hour).padStart(2, '0')}:xx`).join(', ')}, ` +
              `when the ${timezone} clock springs forward or falls back: cron runs a skipped time after the gap (or a repeated one twice), EventBridge does not`,
            'EventBridge skips a time the clock springs over and runs a repeated time once; other fires are the same',
          ]);
        break;
      }
      default:
        spec satisfies never;
    }
  }
  return { expressions, notes };
}

/** The hours of a calendar in which the zone's clock changes (cron's daylight-saving rule differs there). */
function changeHours(spec: CalendarSpec, timezone: string): number[] {
  const hours = transitionHours(timezone);
  return valuesOf(spec.hour, 0, 23).filter((hour) => hours.has(hour));
}

function rateFor(spec: IntervalSpec): string | { readonly reason: string } {
  if (spec.everyMs < minuteMs) {
    const perMinute = minuteMs / spec.everyMs;
    const times = Number.isInteger(perMinute) ? `${perMinute} times` : 'more than once';
    return {
      reason: `"${spec.source}" fires ${times} a minute; the shortest EventBridge Scheduler period is rate(1 minute) (cron() faster than a minute is refused)`,
    };
  }
  if (spec.everyMs % minuteMs !== 0)
    return { reason: `"${spec.source}" is not a whole number of minutes, which rate() needs` };
  // rate() has no offset: the phase is the schedule's StartDate (phaseNote says so).
  return formatAwsRate({ ...spec, anchorMs: 0 });
}

/** rate() counts from the schedule's StartDate (its creation when none), cronplane from the anchor. */
function phaseNote(spec: IntervalSpec, rate: string): [string, string] | undefined {
  if (spec.everyMs === minuteMs) return undefined; // every minute: the same minutes either way
  const anchor = new Date(((spec.anchorMs % spec.everyMs) + spec.everyMs) % spec.everyMs)
    .toISOString()
    .slice(11, 19);
  return [
    `${rate} counts from the schedule's StartDate (its creation when none); cronplane counts "${spec.source}" from ${anchor} UTC on 1970-01-01`,
    `written ${rate}: the same period, not the same instants; set StartDate to one of cronplane's fires to keep them`,
  ];
}

function calendarTexts(spec: CalendarSpec): string[] | { readonly reason: string } {
  if (spec.microsecond !== undefined || spec.microsecondOfMinute !== undefined)
    return { reason: 'it fires at fractions of a second; EventBridge Scheduler has no seconds' };
  const seconds = valuesOf(spec.second, 0, 59);
  if (seconds.length > 1)
    return {
      reason: `it fires ${seconds.length} times a minute; EventBridge Scheduler fires at most once a minute`,
    };
  if (seconds[0] !== 0)
    return {
      reason: `it fires at second ${seconds[0] ?? '?'}; EventBridge Scheduler has no seconds field (it invokes within the minute)`,
    };
  const at = atExpression(spec);
  if (at !== undefined) return [at];
  const texts: string[] = [];
  for (const part of dayUnion(spec)) {
    const written = documentedForm(part);
    if ('reason' in written) return written;
    try {
      texts.push(formatAwsCron(written));
    } catch (thrown) {
      if (!(thrown instanceof CronplaneError) || thrown.code !== CALENDAR_UNREPRESENTABLE) throw thrown;
      return { reason: thrown.message };
    }
  }
  return texts;
}

/** A calendar of one instant (every field one value, the year too) as `at(yyyy-mm-ddThh:mm:ss)`. */
function atExpression(spec: CalendarSpec): string | undefined {
  if (spec.dayOfWeek.kind !== 'any' || spec.dayOfMonth.kind !== 'list') return undefined;
  const [day] = spec.dayOfMonth.items;
  if (spec.dayOfMonth.items.length !== 1 || day?.kind !== 'value') return undefined;
  const single = (field: Field, min: number, max: number) => {
    const values = valuesOf(field, min, max);
    return values.length === 1 ? values[0] : undefined;
  };
  const [year, month, hour, minute] = [
    single(spec.year, 1970, 2199),
    single(spec.month, 1, 12),
    single(spec.hour, 0, 23),
    single(spec.minute, 0, 59),
  ];
  if (year === undefined || month === undefined || hour === undefined || minute === undefined)
    return undefined;
  const date = new Date(Date.UTC(year, month - 1, day.value, hour, minute));
  if (date.getUTCMonth() !== month - 1) return undefined; // 31 April: no fire at all
  return `at(${date.toISOString().slice(0, 19)})`;
}

/**
 * The spec in the forms AWS documents: a stepped range that stops before the field's end
 * (`1-30/2`) and a stepped weekday (`*\/2`) become lists; `L` (last day, also systemd `~1`),
 * `nW` and `n#k` must stand alone in their field; `L-n`, `LW`, `nL` are not documented.
 */
function documentedForm(spec: CalendarSpec): CalendarSpec | { readonly reason: string } {
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  let dayOfMonth = dom;
  if (dom.kind === 'list') {
    const items = dom.items.map((item): DayOfMonthItem => {
      if (item.kind === 'from-end' && item.start === 1 && item.end === undefined && item.step === undefined)
        return { kind: 'last-day', offset: 0 };
      return item;
    });
    const special = items.find((item) => !isPlain(item));
    if (special !== undefined) {
      const alone = items.length === 1;
      if (special.kind === 'last-day' && special.offset === 0 && !alone)
        return { reason: 'AWS documents L in day-of-month alone, not in a list' };
      if (special.kind === 'nearest-weekday' && !alone)
        return { reason: 'AWS documents nW in day-of-month alone, not in a list' };
      if (!(special.kind === 'last-day' && special.offset === 0) && special.kind !== 'nearest-weekday')
        return {
          reason: 'AWS documents only L and nW among the last-day and weekday forms (not L-n, LW or ~)',
        };
    }
    dayOfMonth = {
      kind: 'list',
      items: items.flatMap((item): DayOfMonthItem[] => (isPlain(item) ? plainItems(item, 31) : [item])),
    };
  }
  let dayOfWeek = dow;
  if (dow.kind === 'list') {
    const special = dow.items.find((item) => !isPlain(item));
    if (special?.kind === 'last-weekday-of-month')
      return { reason: 'AWS documents L in day-of-week as Saturday only, not nL (the last weekday n)' };
    if (special !== undefined && dow.items.length > 1)
      return { reason: 'AWS allows one n#k in day-of-week, alone' };
    const items = dow.items.flatMap((item): DayOfWeekItem[] =>
      isPlain(item) && item.kind !== 'value' && (item.kind === 'repeat' || item.step > 1)
        ? expand(item, 6).map((value) => ({ kind: 'value', value }))
        : [item],
    );
    dayOfWeek = { kind: 'list', items };
  }
  return {
    ...spec,
    minute: plainField(spec.minute, 59),
    hour: plainField(spec.hour, 23),
    month: plainField(spec.month, 12),
    year: plainField(spec.year, 2199),
    dayOfMonth,
    dayOfWeek,
  };
}

function isPlain(item: DayOfMonthItem | DayOfWeekItem): item is FieldItem {
  return item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat';
}

function plainField(field: Field, max: number): Field {
  return field.kind === 'any'
    ? field
    : { kind: 'list', items: field.items.flatMap((item) => plainItems(item, max)) };
}

/** A stepped range ending before the field's end has no documented AWS form: its values instead. */
function plainItems(item: FieldItem, max: number): FieldItem[] {
  if (item.kind !== 'range' || item.step === 1 || item.fromAny === true || item.end === max) return [item];
  return expand(item, max).map((value) => ({ kind: 'value', value }));
}

function valuesOf(field: Field, min: number, max: number): number[] {
  if (field.kind === 'any') return Array.from({ length: max - min + 1 }, (_, index) => min + index);
  return [...new Set(field.items.flatMap((item) => expand(item, max)))].sort((a, b) => a - b);
}

function expand(item: FieldItem, max: number): number[] {
  if (item.kind === 'value') return [item.value];
  const end = item.kind === 'range' ? item.end : max;
  const values: number[] = [];
  for (let value = item.start; value <= end; value += item.step) values.push(value);
  return values;
}
