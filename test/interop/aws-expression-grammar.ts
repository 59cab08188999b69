/**
 * Test helper: a checker of EventBridge Scheduler schedule expressions written from AWS's own
 * documentation ("Schedule types in EventBridge Scheduler" and the cron expressions reference),
 * independent of cronplane's parser. It answers why an expression is refused, or undefined.
 *
 * - `rate(value unit)`: a positive whole number; unit minute | minutes | hour | hours | day | days,
 *   singular exactly when the value is 1 (`rate(1 hours)` and `rate(5 hour)` are invalid).
 * - `at(yyyy-mm-ddThh:mm:ss)`: a date and time that exist.
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields.
 *   | field        | values            | wildcards       |
 *   | minutes      | 0-59              | , - * /         |
 *   | hours        | 0-23              | , - * /         |
 *   | day-of-month | 1-31              | , - * ? / L W   |
 *   | month        | 1-12 or JAN-DEC   | , - * /         |
 *   | day-of-week  | 1-7 or SUN-SAT    | , - * ? L #     |
 *   | year         | 1970-2199         | , - * /         |
 *   Exactly one of day-of-month and day-of-week is `?` (a value or `*` in one needs `?` in the
 *   other). `#` gives one expression only (`3#1,6#3` is invalid). `/` is `start/step` or
 *   `*\/step`; `L` stands alone (day-of-month: the last day; day-of-week: Saturday); `nW` stands
 *   alone. What the documentation does not show (`a-b/n`, `L-n`, `LW`, `nL`) is refused, so
 *   what passes is what AWS documents.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRule {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly step: boolean;
}

export const fieldRules: readonly FieldRule[] = [
  { label: 'minutes', min: 0, max: 59, step: true },
  { label: 'hours', min: 0, max: 23, step: true },
  { label: 'day-of-month', min: 1, max: 31, step: true },
  { label: 'month', min: 1, max: 12, names: MONTHS, step: true },
  { label: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, step: false },
  { label: 'year', min: 1970, max: 2199, step: true },
];

/** Why AWS's documentation refuses `text`, or undefined when it is a valid expression. */
export function refusal(text: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(text);
  if (rate) return rateRefusal(rate[1] ?? '');
  const at = /^at\((.*)\)$/.exec(text);
  if (at) return atRefusal(at[1] ?? '');
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron) return cronRefusal(cron[1] ?? '');
  return 'not cron(), rate() or at()';
}

function rateRefusal(body: string): string | undefined {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!match) return 'rate(value unit) with minute(s), hour(s) or day(s)';
  const value = Number(match[1]);
  if (value < 1) return 'the value is a positive number';
  const singular = !(match[2] ?? '').endsWith('s');
  if (singular !== (value === 1)) return 'the unit is singular for 1 and plural otherwise';
  return undefined;
}

function atRefusal(body: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) return 'at(yyyy-mm-ddThh:mm:ss)';
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
  if (date.toISOString().slice(0, 19) !== body) return 'no such date and time';
  return undefined;
}

function cronRefusal(body: string): string | undefined {
  const fields = body.split(' ');
  if (fields.length !== 6 || fields.some((field) => field === ''))
    return 'six fields separated by single spaces';
  const [dom, dow] = [fields[2] ?? '', fields[4] ?? ''];
  if ((dom === '?') === (dow === '?')) return 'exactly one of day-of-month and day-of-week is ?';
  for (const [index, field] of fields.entries()) {
    const rule = fieldRules[index] as FieldRule;
    const problem = fieldRefusal(field, rule, index);
    if (problem !== undefined) return `${rule.label} "${field}": ${problem}`;
  }
  return undefined;
}

function fieldRefusal(field: string, rule: FieldRule, index: number): string | undefined {
  const isDom = index === 2;
  const isDow = index === 4;
  if (field === '?') return isDom || isDow ? undefined : '? is for day-of-month and day-of-week';
  if (field === 'L') return isDom || isDow ? undefined : 'L is for day-of-month and day-of-week';
  if (isDom && /W/.test(field)) {
    const match = /^(\d{1,2})W$/.exec(field);
    return match && inRange(Number(match[1]), rule) ? undefined : 'nW stands alone, n in 1-31';
  }
  if (isDow && field.includes('#')) {
    const match = /^([1-7]|[A-Z]{3})#([1-5])$/.exec(field);
    if (!match) return 'one n#k, alone, k in 1-5';
    return valueOf(match[1] ?? '', rule) === undefined ? 'n is 1-7 or SUN-SAT' : undefined;
  }
  for (const item of field.split(',')) {
    const problem = itemRefusal(item, rule);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function itemRefusal(item: string, rule: FieldRule): string | undefined {
  if (item === '*') return undefined;
  const slash = item.split('/');
  if (slash.length > 2) return 'one / at most';
  if (slash.length === 2) {
    if (!rule.step) return '/ is not among its wildcards';
    const [start, step] = slash as [string, string];
    if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > rule.max) return 'a step is a number';
    if (start === '*') return undefined;
    return valueOf(start, rule) === undefined ? 'start/step starts at a value of the field' : undefined;
  }
  const dash = item.split('-');
  if (dash.length > 2) return 'one - at most';
  if (dash.length === 2) {
    const [from, to] = dash.map((part) => valueOf(part, rule));
    if (from === undefined || to === undefined) return 'a range joins two values of the field';
    return from <= to ? undefined : 'a range runs upwards';
  }
  return valueOf(item, rule) === undefined ? `a value is ${rule.min}-${rule.max}` : undefined;
}

function valueOf(text: string, rule: FieldRule): number | undefined {
  const named = rule.names?.indexOf(text) ?? -1;
  if (named >= 0) return named + rule.min;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return inRange(value, rule) ? value : undefined;
}

function inRange(value: number, rule: FieldRule): boolean {
  return value >= rule.min && value <= rule.max;
}
