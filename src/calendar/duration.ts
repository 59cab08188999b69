/**
 * Durations as people write them in job files and schedules: `500ms`, `30s`, `10m`, `24h`, `7d`,
 * combinations (`1h30m`, `1h 30m`) and long unit names (`90 seconds`, `2 hours`). The result is
 * a whole number of milliseconds.
 */
import { CronplaneError } from '../errors/index.ts';

/** The error code of a malformed duration. */
export const DURATION_INVALID = 'duration.invalid';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  msec: 1,
  msecs: 1,
  millisecond: 1,
  milliseconds: 1,
  s: SECOND,
  sec: SECOND,
  secs: SECOND,
  second: SECOND,
  seconds: SECOND,
  m: MINUTE,
  min: MINUTE,
  mins: MINUTE,
  minute: MINUTE,
  minutes: MINUTE,
  h: HOUR,
  hr: HOUR,
  hrs: HOUR,
  hour: HOUR,
  hours: HOUR,
  d: DAY,
  day: DAY,
  days: DAY,
  w: WEEK,
  week: WEEK,
  weeks: WEEK,
};

const EXPECTED_UNITS = 'ms, s, m, h, d or w (or a long name such as "seconds")';

/**
 * Parses a duration into milliseconds. Throws a CronplaneError (`duration.invalid`) whose
 * `location.position` is the 0-based offset of the bad part.
 */
export function parseDuration(text: string): number {
  return parseDurationPart(text, 0, text.length, DURATION_INVALID);
}

/**
 * Parses `text.slice(start, end)` as a duration; error positions are offsets into `text` and
 * errors carry `code`, so an enclosing parser (the `every` syntax) can report in its own terms.
 */
export function parseDurationPart(text: string, start: number, end: number, code: string): number {
  const fail = (message: string, position: number): CronplaneError =>
    new CronplaneError(code, message, { location: { position } });
  let pos = start;
  const skipSpaces = (): void => {
    while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
  };
  skipSpaces();
  if (pos >= end)
    throw fail('duration: expected a number and a unit (e.g. 30s, 10m, 1h30m), found nothing', pos);
  let total = 0;
  while (pos < end) {
    const numberStart = pos;
    while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
    if (pos < end && text[pos] === '.') {
      pos++;
      while (pos < end && isDigit(text.charCodeAt(pos))) pos++;
    }
    const numberText = text.slice(numberStart, pos);
    if (numberText === '' || numberText === '.') {
      const token = tokenAt(text, numberStart, end);
      throw fail(
        `duration: "${token}" is not a number; expected a number followed by a unit, e.g. 30s`,
        numberStart,
      );
    }
    skipSpaces();
    const unitStart = pos;
    while (pos < end && isLetter(text.charCodeAt(pos))) pos++;
    const unitText = text.slice(unitStart, pos);
    if (unitText === '') {
      throw fail(`duration: "${numberText}" has no unit; expected one of ${EXPECTED_UNITS}`, unitStart);
    }
    const unit = UNIT_MS[unitText.toLowerCase()];
    if (unit === undefined) {
      throw fail(`duration: "${unitText}" is not a unit; expected one of ${EXPECTED_UNITS}`, unitStart);
    }
    const value = Number(numberText) * unit;
    const whole = Math.round(value);
    if (Math.abs(value - whole) > 1e-6) {
      throw fail(`duration: "${numberText}${unitText}" is not a whole number of milliseconds`, numberStart);
    }
    total += whole;
    if (!Number.isSafeInteger(total)) throw fail('duration: the value is too large', numberStart);
    skipSpaces();
  }
  return total;
}

const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', 1],
];

/** The canonical text of a duration: largest units first, no spaces (`1d2h`, `1m30s`, `500ms`, `0s`). */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new RangeError(`formatDuration: ${ms} is not a whole number >= 0`);
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of FORMAT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

function tokenAt(text: string, start: number, end: number): string {
  let stop = start;
  while (stop < end && !isSpace(text.charCodeAt(stop))) stop++;
  return text.slice(start, Math.max(stop, start + 1));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
