import { CALENDAR_UNREPRESENTABLE } from './calendar-error.ts';
import { CronplaneError } from '../errors/index.ts';

/** The word (or single character) at `position`, quoted, for "found ..." in error messages. */
export function describeTokenAt(text: string, position: number): string {
  if (position >= text.length) return 'the end of the expression';
  const token = /^[^\s,:~\-/]+/.exec(text.slice(position))?.[0] ?? text.charAt(position);
  return `'${token.length > 24 ? `${token.slice(0, 24)}...` : token}'`;
}

/**
 * The error of every malformed OnCalendar expression: code `calendar.invalid`, the 0-based
 * position of the bad token, and a message that says what was found there and what was expected.
 */
export function invalidOnCalendar(position: number, found: string, expected: string): CronplaneError {
  return new CronplaneError(
    'calendar.invalid',
    `Invalid OnCalendar expression: ${found} at position ${position}; expected ${expected}`,
    { location: { position } },
  );
}

/**
 * The error of a calendar that OnCalendar cannot express (cron `W`, `#`, Vixie day OR...):
 * code `calendar.unrepresentable`, with the reason.
 */
export function notRepresentableOnCalendar(source: string, reason: string): CronplaneError {
  return new CronplaneError(
    CALENDAR_UNREPRESENTABLE,
    `'${source}' has no systemd OnCalendar equivalent: ${reason}`,
  );
}
