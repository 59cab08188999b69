/**
 * A systemd time span (systemd.time(7)): `30min`, `1h 30min`, `5m`, `2 hours`, `1d12h`, and a bare
 * number in seconds (`600`). Months are 30.44 days and years 365.25 days, as systemd counts them.
 * `infinity` is `undefined` (no limit). Microseconds are rounded to whole milliseconds.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const unitMs: Readonly<Record<string, number>> = {
  usec: 0.001,
  us: 0.001,
  µs: 0.001,
  msec: 1,
  ms: 1,
  seconds: SECOND,
  second: SECOND,
  sec: SECOND,
  s: SECOND,
  minutes: MINUTE,
  minute: MINUTE,
  min: MINUTE,
  m: MINUTE,
  hours: HOUR,
  hour: HOUR,
  hr: HOUR,
  h: HOUR,
  days: DAY,
  day: DAY,
  d: DAY,
  weeks: 7 * DAY,
  week: 7 * DAY,
  w: 7 * DAY,
  months: 2_629_800 * SECOND,
  month: 2_629_800 * SECOND,
  M: 2_629_800 * SECOND,
  years: 31_557_600 * SECOND,
  year: 31_557_600 * SECOND,
  y: 31_557_600 * SECOND,
};

/** Milliseconds, or undefined for `infinity`; throws a plain Error for text that is not a span. */
export function parseSystemdTimeSpan(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === 'infinity') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * SECOND);
  let total = 0;
  let rest = trimmed;
  if (rest === '') throw new Error('expected a time span such as 30s, 5min or 1h 30min');
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)\s*([A-Za-zµ]+)\s*/.exec(rest);
    const factor = match === null ? undefined : unitMs[match[2] as string];
    if (match === null || factor === undefined) {
      throw new Error(`"${text}" is not a time span: expected e.g. 30s, 5min, 1h 30min or 600 (seconds)`);
    }
    total += Number(match[1]) * factor;
    rest = rest.slice(match[0].length);
  }
  return Math.round(total);
}
