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

/** True when `zone` is an IANA zone name that this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
