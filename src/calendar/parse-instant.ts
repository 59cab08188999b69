/**
 * Instants given by people and programs (the API's `since`/`until`, `cronplane next --after`):
 * an ISO 8601 / RFC 3339 date-time with its offset, or epoch milliseconds. Nothing else: not
 * `Date.parse`'s guesses (`banana 12` is 2001-12-01 to it), not a date without a time, not a
 * time without an offset (whose zone would be the server's, a guess).
 */

/** What is accepted, for messages. */
export const instantForms =
  'an ISO 8601 date-time with an offset (2026-03-14T02:00:00Z, 2026-03-14T03:00:00+01:00) or epoch milliseconds';

/** The latest instant a JavaScript Date can hold (year 275760). */
const maxInstant = 8_640_000_000_000_000;

const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An RFC 3339 date-time (`2026-03-14T02:00:00Z`, `...T03:00:00.250+01:00`; seconds may be left
 * out, the offset may be written `+0100`) as epoch milliseconds; undefined for anything else,
 * including impossible dates (`2026-02-30`) and fields out of range.
 */
export function parseDateTime(text: string): number | undefined {
  const match = dateTime.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHours, offsetMinutes] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offset = 0;
  if (zulu === undefined) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const millis = Number((fraction ?? '').slice(0, 3).padEnd(3, '0'));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, millis);
  // Date.UTC reads years 0-99 as 1900-1999; set the year itself.
  const instant = new Date(wall).setUTCFullYear(y) - offset;
  return Math.abs(instant) <= maxInstant ? instant : undefined;
}

/** `parseDateTime`, or whole epoch milliseconds (`1773453600000`); undefined for anything else. */
export function parseInstant(text: string): number | undefined {
  if (/^[0-9]{1,16}$/.test(text)) {
    const value = Number(text);
    return value <= maxInstant ? value : undefined;
  }
  return parseDateTime(text);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
