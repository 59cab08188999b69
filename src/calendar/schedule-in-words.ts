/**
 * A schedule in short, exact English, for the dashboard, the API and `cronplane calendar`:
 * "every day at 02:00", "every 15 minutes", "at 09:00 and 17:00, Monday through Friday",
 * "at 06:00 on the last day of the month", "on Saturday and Sunday at 03:00 (Europe/Berlin)".
 *
 * Every phrase says exactly the set of elapses, computed from the expanded fields (never from
 * the text as written). A spec too irregular to say shortly is said by its normal form instead
 * ("at times matching *-*-* 02,14:00/07:00:00"): correct before pretty.
 */
import type {
  CalendarSpec,
  DayOfMonthField,
  DayOfMonthItem,
  DayOfWeekField,
  DayOfWeekItem,
  Field,
  ScheduleSpec,
} from './calendar-spec.ts';
import { monthNames, weekdayNames } from './day-names.ts';
import { startsWithStar } from './day-rules.ts';
import { normalizeSchedule } from './normalize.ts';

/** The schedule in words; `at times matching <normal form>` when it cannot be said shortly. */
export function scheduleInWords(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'startup':
      return 'once each time the daemon starts';
    case 'interval': {
      const every = `every ${spanInWords(spec.everyMs)}`;
      const offset = ((spec.anchorMs % spec.everyMs) + spec.everyMs) % spec.everyMs;
      return offset === 0 ? every : `${every}, offset ${spanInWords(offset, true)} from the Unix epoch`;
    }
    case 'calendar': {
      const words = calendarInWords(spec);
      if (words === undefined) return `at times matching ${normalizeSchedule(spec)}`;
      return spec.timezone === undefined ? words : `${words} (${spec.timezone})`;
    }
    default:
      return assertNever(spec);
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY_SECONDS = 86_400;
/** The most times of day, days or months said one by one. */
const MAX_LISTED = 6;

const WEEKDAYS = weekdayNames;
const MONTHS = monthNames;
const NTH = ['first', 'second', 'third', 'fourth', 'fifth'];

/** `30 seconds`, `hour`, `90 minutes`, `36 hours`, `500 milliseconds`: the largest whole unit. */
function spanInWords(ms: number, countOne = false): string {
  const units: readonly [number, string][] = [
    [HOUR, 'hour'],
    [MINUTE, 'minute'],
    [SECOND, 'second'],
    [1, 'millisecond'],
  ];
  const [size, name] = units.find(([unit]) => ms % unit === 0) ?? [1, 'millisecond'];
  const count = ms / size;
  if (count === 1) return countOne ? `1 ${name}` : name;
  return `${count} ${name}s`;
}

/** A time phrase: `at ...` (a few times of day) or `every ...` (a frequency). */
interface TimePhrase {
  readonly kind: 'at' | 'every';
  readonly text: string;
}

function calendarInWords(spec: CalendarSpec): string | undefined {
  if (spec.microsecondOfMinute !== undefined) return undefined;
  const micro = spec.microsecond;
  if (micro !== undefined && (micro.kind === 'any' || valuesOf(micro, 0, 999_999).some((us) => us !== 0)))
    return undefined;
  const time = timePhrase(spec);
  const year = yearPhrase(spec.year);
  if (time === undefined || year === undefined) return undefined;
  const days = dayPhrase(spec, time);
  return days === undefined ? undefined : `${days}${year}`;
}

/** Sorted, de-duplicated values of a field within [min, max]. */
function valuesOf(field: Field, min: number, max: number): number[] {
  if (field.kind === 'any') return rangeOf(min, max);
  const seen = new Set<number>();
  for (const item of field.items) {
    switch (item.kind) {
      case 'value':
        seen.add(item.value);
        break;
      case 'range':
        for (let value = item.start; value <= item.end; value += Math.max(1, item.step)) seen.add(value);
        break;
      case 'repeat':
        for (let value = item.start; value <= max; value += Math.max(1, item.step)) seen.add(value);
        break;
      default:
        return assertNever(item);
    }
  }
  return [...seen].filter((value) => value >= min && value <= max).sort((a, b) => a - b);
}

function rangeOf(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, index) => min + index);
}

// ---- time of day ----------------------------------------------------------------------------

function timePhrase(spec: CalendarSpec): TimePhrase | undefined {
  const hours = valuesOf(spec.hour, 0, 23);
  const minutes = valuesOf(spec.minute, 0, 59);
  const seconds = valuesOf(spec.second, 0, 59);
  const times = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => h * 3600 + m * 60 + s)));
  const first = times[0];
  const second = times[1];
  if (first === undefined) return undefined;
  const withSeconds = times.some((time) => time % 60 !== 0);
  const clock = (time: number): string => clockOf(time, withSeconds);
  if (times.length <= MAX_LISTED) return { kind: 'at', text: `at ${listed(times.map(clock))}` };
  const step = (second as number) - first;
  const last = times.at(-1) as number;
  if (times.every((time, index) => time === first + index * step)) {
    const every = `every ${spanInWords(step * SECOND)}`;
    const wholeDay = DAY_SECONDS % step === 0 && first < step;
    if (wholeDay && first === 0) return { kind: 'every', text: every };
    if (wholeDay && step === 60) return { kind: 'every', text: `every minute at second ${first}` };
    if (!(wholeDay && 3600 % step === 0 && !withSeconds))
      return { kind: 'every', text: `${every} from ${clock(first)} through ${clock(last)}` };
  }
  return pastTheHour(times, hours.length === 24 && !withSeconds);
}

/** Every hour at a few minutes past it: `every hour at minute 5`, `... at minute 0 and 10`. */
function pastTheHour(times: readonly number[], everyHour: boolean): TimePhrase | undefined {
  const pastHour = [...new Set(times.map((time) => time % 3600))];
  if (!everyHour || pastHour.length > 2 * MAX_LISTED) return undefined;
  return { kind: 'every', text: `every hour at minute ${listed(pastHour.map((time) => String(time / 60)))}` };
}

function clockOf(time: number, withSeconds: boolean): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const hhmm = `${pad(Math.floor(time / 3600))}:${pad(Math.floor(time / 60) % 60)}`;
  return withSeconds ? `${hhmm}:${pad(time % 60)}` : hhmm;
}

// ---- days -----------------------------------------------------------------------------------

/** The sentence: the time phrase placed with the days, months it is restricted to. */
function dayPhrase(spec: CalendarSpec, time: TimePhrase): string | undefined {
  const months = valuesOf(spec.month, 1, 12);
  const monthWords = months.length === 12 ? undefined : monthsPhrase(months);
  if (months.length !== 12 && monthWords === undefined) return undefined;
  const dom = dayOfMonthPhrase(spec.dayOfMonth);
  const dow = dayOfWeekPhrase(spec.dayOfWeek);
  if (dom === undefined || dow === undefined) return undefined;
  // Vixie's rule: OR only when both day fields are restricted and neither starts with `*`.
  const either =
    spec.dayMatch === 'or' && !startsWithStar(spec.dayOfMonth) && !startsWithStar(spec.dayOfWeek);
  // `the third Friday` reads as a day of the month.
  const monthDays = dom === 'all' ? (dow !== 'all' && dow.kind === 'nth' ? dow.text : 'all') : dom;
  const weekdays = dow !== 'all' && dow.kind !== 'nth' ? dow : 'all';
  if (dom !== 'all' && dow !== 'all' && dow.kind === 'nth') return undefined;

  if (monthDays === 'all') {
    const inMonths = monthWords === undefined ? '' : ` in ${monthWords}`;
    if (weekdays === 'all')
      return time.kind === 'at' ? `every day${inMonths} ${time.text}` : `${time.text}${inMonths}`;
    if (weekdays.kind === 'run') return `${time.text}, ${weekdays.text}${inMonths}`;
    if (time.kind === 'at')
      return `${weekdays.kind === 'single' ? 'every' : 'on'} ${weekdays.text}${inMonths} ${time.text}`;
    return weekdays.kind === 'single'
      ? `${time.text} on ${weekdays.text}s${inMonths}`
      : `${time.text} on ${weekdays.text}${inMonths}`;
  }
  const ofMonths = ` of ${monthWords ?? (monthDays.includes('last') ? 'the month' : 'every month')}`;
  const onDays = `${time.text} on ${monthDays}${ofMonths}`;
  if (weekdays === 'all') return onDays;
  if (either) {
    if (monthWords !== undefined) return undefined;
    return `${onDays} and on ${weekdays.kind === 'single' ? 'every ' : ''}${weekdays.text}`;
  }
  return `${onDays} if it is ${weekdays.kind === 'run' ? '' : 'a '}${weekdays.orText}`;
}

/** `the 1st and 15th`, `the 1st through the 7th`, `the last day`, `the weekday nearest the 15th`. */
function dayOfMonthPhrase(field: DayOfMonthField): string | 'all' | undefined {
  if (field.kind === 'any') return 'all';
  const plainItems = field.items.filter(
    (item): item is Extract<DayOfMonthItem, { kind: 'value' | 'range' | 'repeat' }> =>
      item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat',
  );
  const plain = valuesOf({ kind: 'list', items: plainItems }, 1, 31);
  const specials = field.items.filter((item) => !plainItems.includes(item as never));
  if (plain.length === 31 && specials.length === 0) return 'all';
  const phrases: string[] = [];
  if (plain.length > 0) {
    const run = plain.length >= 3 && plain.every((day, index) => day === (plain[0] as number) + index);
    if (run)
      phrases.push(`the ${ordinal(plain[0] as number)} through the ${ordinal(plain.at(-1) as number)}`);
    else if (plain.length <= MAX_LISTED) phrases.push(`the ${listed(plain.map(ordinal))}`);
    else return undefined;
  }
  for (const item of specials) {
    const phrase = specialDayPhrase(item);
    if (phrase === undefined) return undefined;
    phrases.push(phrase);
  }
  return listed(phrases);
}

function specialDayPhrase(item: DayOfMonthItem): string | undefined {
  switch (item.kind) {
    case 'last-day':
      return lastDay(item.offset + 1);
    case 'from-end': {
      if (item.end === undefined && item.step === undefined) return lastDay(item.start);
      const end = item.end ?? 1;
      if ((item.step ?? 1) === 1 && end === 1) return `the last ${item.start} days`;
      return undefined;
    }
    case 'nearest-weekday':
      return `the weekday nearest the ${ordinal(item.day)}`;
    case 'last-weekday':
      return 'the last weekday';
    default:
      return undefined;
  }
}

/** The k-th day counted from the end: 1 is `the last day`, 3 `the 3rd last day`. */
function lastDay(fromEnd: number): string {
  return fromEnd === 1 ? 'the last day' : `the ${ordinal(fromEnd)} last day`;
}

type WeekdayPhrase =
  /** One weekday, or a list: `Saturday and Sunday` (orText `Saturday or Sunday`). */
  | { readonly kind: 'single' | 'list'; readonly text: string; readonly orText: string }
  /** Three or more days in a row from Monday on: `Monday through Friday`. */
  | { readonly kind: 'run'; readonly text: string; readonly orText: string }
  /** `the third Friday`, `the last Friday`: said as a day of the month. */
  | { readonly kind: 'nth'; readonly text: string };

function dayOfWeekPhrase(field: DayOfWeekField): WeekdayPhrase | 'all' | undefined {
  if (field.kind === 'any') return 'all';
  const plainItems = field.items.filter(
    (item): item is Extract<DayOfWeekItem, { kind: 'value' | 'range' | 'repeat' }> =>
      item.kind === 'value' || item.kind === 'range' || item.kind === 'repeat',
  );
  if (plainItems.length === 0 && field.items.length === 1) {
    const only = field.items[0] as DayOfWeekItem;
    if (only.kind === 'nth-weekday' && only.n >= 1 && only.n <= 5)
      return { kind: 'nth', text: `the ${NTH[only.n - 1] as string} ${WEEKDAYS[only.weekday] as string}` };
    if (only.kind === 'last-weekday-of-month')
      return { kind: 'nth', text: `the last ${WEEKDAYS[only.weekday] as string}` };
  }
  if (plainItems.length !== field.items.length) return undefined;
  // Monday first, Sunday last: Saturday and Sunday are neighbours.
  const days = valuesOf({ kind: 'list', items: plainItems }, 0, 6)
    .map((day) => (day === 0 ? 7 : day))
    .sort((a, b) => a - b);
  if (days.length === 7) return 'all';
  const name = (day: number): string => WEEKDAYS[day % 7] as string;
  const first = days[0] as number;
  if (days.length >= 3 && days.every((day, index) => day === first + index)) {
    const text = `${name(first)} through ${name(days.at(-1) as number)}`;
    return { kind: 'run', text, orText: text };
  }
  return {
    kind: days.length === 1 ? 'single' : 'list',
    text: listed(days.map(name)),
    orText: listed(days.map(name), 'or'),
  };
}

function monthsPhrase(months: readonly number[]): string | undefined {
  const name = (month: number): string => MONTHS[month - 1] as string;
  const first = months[0];
  if (first === undefined) return undefined;
  if (months.length >= 3 && months.every((month, index) => month === first + index))
    return `${name(first)} through ${name(months.at(-1) as number)}`;
  return months.length <= MAX_LISTED ? listed(months.map(name)) : undefined;
}

function yearPhrase(field: Field): string | undefined {
  if (field.kind === 'any') return '';
  const years = valuesOf(field, 1970, 2199);
  const first = years[0];
  if (first === undefined) return undefined;
  if (years.length >= 3 && years.every((year, index) => year === first + index))
    return ` from ${first} through ${years.at(-1) as number}`;
  return years.length <= 3 ? ` in ${listed(years.map(String))}` : undefined;
}

// ---- words ----------------------------------------------------------------------------------

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1) as string}`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected schedule ${JSON.stringify(value)}`);
}
