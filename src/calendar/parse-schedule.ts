/**
 * One entry point for every schedule syntax, with detection when the caller does not force one:
 *
 * 1. `every ...`                                   -> interval
 * 2. `rate(...)`, `cron(...)`                      -> aws
 * 3. `@name`, `CRON_TZ=...`, `TZ=...`, or 5 or 6
 *    whitespace-separated fields made only of cron
 *    characters (digits, letters, `* ? , - / # +`)   -> cron
 * 4. anything else (`@1767225600` included)       -> systemd OnCalendar
 */
import type { ScheduleSpec } from './calendar-spec.ts';
import type { Syntax } from './calendar-spec.ts';
import { parseAws } from './aws-parser.ts';
import { calendarError } from './calendar-error.ts';
import { parseCron } from './cron-parser.ts';
import type { CronParseOptions } from './cron-parser.ts';
import { parseInterval } from './interval-parser.ts';
import { parseSystemdCalendar } from './systemd-parser.ts';

export interface ParseScheduleOptions extends CronParseOptions {
  /** Forces one parser instead of detecting the syntax. */
  readonly syntax?: Syntax;
}

const CRON_FIELD = /^[0-9A-Za-z*?,\-/#+]+$/;

/** The syntax `parseSchedule` would pick for `text` (see the rules above). */
export function detectSyntax(text: string): Syntax {
  const trimmed = text.trim();
  if (/^every(\s|$)/i.test(trimmed)) return 'interval';
  if (/^(rate|cron)\(/.test(trimmed)) return 'aws';
  if (/^@\d/.test(trimmed)) return 'systemd'; // systemd @unix-seconds
  if (/^(@|CRON_TZ=|TZ=)/.test(trimmed)) return 'cron';
  const fields = trimmed.split(/\s+/);
  if ((fields.length === 5 || fields.length === 6) && fields.every((field) => CRON_FIELD.test(field)))
    return 'cron';
  return 'systemd';
}

/** Parses a schedule in any syntax; throws a located `calendar.invalid` CronplaneError. */
export function parseSchedule(text: string, options: ParseScheduleOptions = {}): ScheduleSpec {
  if (text.trim() === '') {
    throw calendarError(
      'schedule: the expression is empty; expected e.g. "0 2 * * *", "daily" or "every 30s"',
      0,
    );
  }
  const syntax = options.syntax ?? detectSyntax(text);
  switch (syntax) {
    case 'interval':
      return parseInterval(text);
    case 'aws':
      return parseAws(text);
    case 'cron':
      return parseCron(text, options.dayMatch === undefined ? {} : { dayMatch: options.dayMatch });
    case 'systemd':
      return parseSystemdCalendar(text);
    default:
      return assertNever(syntax);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected syntax ${String(value)}`);
}
