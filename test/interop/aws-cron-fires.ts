/**
 * Test helper: the fires of an EventBridge Scheduler `cron()` or `at()` expression, read as AWS
 * documents them and computed without cronplane's calendar engine: day-of-week 1-7 is SUN-SAT,
 * `L` in day-of-month is the last day and alone in day-of-week Saturday, `nW` the weekday nearest
 * day n within the month, `n#k` the k-th weekday n. Wall times are read in the IANA zone; a time
 * the clock springs over is skipped and a repeated time fires once, at its first pass (AWS's
 * daylight-saving rule). Only expressions `refusal()` accepts are read.
 */
import { fieldRules } from './aws-expression-grammar.ts';

const dayMs = 86_400_000;
const minuteMs = 60_000;
const NAMES: Readonly<Record<string, number>> = Object.fromEntries([
  ...['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'].map(
    (name, index) => [name, index + 1] as const,
  ),
  ...['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((name, index) => [name, index + 1] as const),
]);

/** Up to `count` fires strictly after `afterMs`, in order (none after 2199). */
export function awsFires(expression: string, timezone: string, afterMs: number, count: number): number[] {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute] = at.slice(1, 6).map(Number) as number[];
    const instant = wallToInstant(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute), timezone);
    return instant !== undefined && instant > afterMs ? [instant] : [];
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) throw new Error(`not a cron() or at() expression: ${expression}`);
  const [minutes, hours, dom, months, dow, years] = (cron[1] ?? '').split(' ') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const minuteSet = valueSet(minutes, 0);
  const hourSet = valueSet(hours, 1);
  const monthSet = valueSet(months, 3);
  const yearSet = valueSet(years, 5);
  const dayMatches = dayMatcher(dom, dow);
  const fires: number[] = [];
  let day = Date.UTC(...civilDate(afterMs, timezone));
  for (; fires.length < count; day += dayMs) {
    const date = new Date(day);
    const year = date.getUTCFullYear();
    if (year > 2199) break;
    if (!yearSet.has(year) || !monthSet.has(date.getUTCMonth() + 1) || !dayMatches(date)) continue;
    for (const hour of [...hourSet].sort((a, b) => a - b))
      for (const minute of [...minuteSet].sort((a, b) => a - b)) {
        const instant = wallToInstant(day + hour * 3_600_000 + minute * minuteMs, timezone);
        if (instant !== undefined && instant > afterMs && fires.length < count) fires.push(instant);
      }
  }
  return fires;
}

function valueSet(field: string, index: number): Set<number> {
  const rule = fieldRules[index];
  if (rule === undefined) throw new Error(`no field ${index}`);
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [rule.min, rule.max];
    else if (range.includes('-')) [from, to] = range.split('-').map(read) as [number, number];
    else [from, to] = [read(range), stepText === undefined ? read(range) : rule.max];
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function read(text: string): number {
  return NAMES[text] ?? Number(text);
}

function dayMatcher(dom: string, dow: string): (date: Date) => boolean {
  if (dom !== '?') {
    const last = (date: Date) =>
      new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    if (dom === 'L') return (date) => date.getUTCDate() === last(date);
    const nearest = /^(\d+)W$/.exec(dom);
    if (nearest) {
      const wanted = Number(nearest[1]);
      return (date) => {
        const n = last(date);
        if (wanted > n) return false;
        const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), wanted)).getUTCDay();
        let target = wanted;
        if (weekday === 6) target = wanted === 1 ? 3 : wanted - 1;
        if (weekday === 0) target = wanted === n ? wanted - 2 : wanted + 1;
        return date.getUTCDate() === target;
      };
    }
    const days = valueSet(dom, 2);
    return (date) => days.has(date.getUTCDate());
  }
  if (dow === 'L') return (date) => date.getUTCDay() === 6;
  const nth = /^(\w+)#(\d)$/.exec(dow);
  if (nth) {
    const weekday = read(nth[1] ?? '') - 1;
    const n = Number(nth[2]);
    return (date) => date.getUTCDay() === weekday && Math.ceil(date.getUTCDate() / 7) === n;
  }
  const weekdays = valueSet(dow, 4);
  return (date) => weekdays.has(date.getUTCDay() + 1);
}

/** The civil date (year, month index, day) of an instant in the zone. */
function civilDate(ms: number, timezone: string): [number, number, number] {
  const wall = new Date(ms + offsetAt(ms, timezone));
  return [wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()];
}

/** The instant a wall time (as UTC milliseconds) names in the zone: the first pass, or none in a gap. */
function wallToInstant(wallMs: number, timezone: string): number | undefined {
  const offsets = new Set([offsetAt(wallMs - dayMs, timezone), offsetAt(wallMs + dayMs, timezone)]);
  const instants = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((instant) => instant + offsetAt(instant, timezone) === wallMs);
  return instants.length === 0 ? undefined : Math.min(...instants);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timezone: string): number {
  let format = formats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(
    parts['year'] ?? 0,
    (parts['month'] ?? 1) - 1,
    parts['day'],
    parts['hour'],
    parts['minute'],
    parts['second'],
  );
  return wall - (ms - (ms % 1000));
}
