import { CronplaneError } from '../errors/index.ts';

/** The error code of every invalid calendar expression, whatever its syntax. */
export const CALENDAR_INVALID = 'calendar.invalid';

/** The error code when a valid schedule cannot be printed in the syntax asked for. */
export const CALENDAR_UNREPRESENTABLE = 'calendar.unrepresentable';

/** A located calendar error: `position` is the 0-based offset of the bad token in the input. */
export function calendarError(
  message: string,
  position: number,
  code: string = CALENDAR_INVALID,
): CronplaneError {
  return new CronplaneError(code, message, { location: { position } });
}

/** Zones already asked about: making a formatter to find out costs about half a millisecond. */
const knownZones = new Map<string, boolean>();

/** True when `zone` is an IANA zone name that this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === '') return false;
  let known = knownZones.get(zone);
  if (known !== undefined) return known;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    known = true;
  } catch {
    known = false;
  }
  // Bounded: a client sending made-up zones cannot grow it without end.
  if (knownZones.size < 1000) knownZones.set(zone, known);
  return known;
}
