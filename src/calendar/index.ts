/**
 * The calendar engine's public face: one model of a calendar set (calendar-spec.ts), parsers for
 * cron, systemd OnCalendar, AWS cron()/rate() and `every 30s`, one compiled `next()`/`previous()`
 * per schedule, and normalisers back to text. See docs/calendar.md.
 */
export { Syntax } from './calendar-spec.ts';
export type {
  CalendarSpec,
  DayMatch,
  DayOfMonthField,
  DayOfMonthItem,
  DayOfWeekField,
  DayOfWeekItem,
  Field,
  FieldItem,
  IntervalSpec,
  RangeItem,
  RepeatItem,
  ScheduleSpec,
  StartupSpec,
  ValueItem,
} from './calendar-spec.ts';
export { CALENDAR_INVALID, CALENDAR_UNREPRESENTABLE } from './calendar-error.ts';
export { parseSchedule, detectSyntax } from './parse-schedule.ts';
export type { ParseScheduleOptions } from './parse-schedule.ts';
export { parseCron, CRON_SHORTHANDS } from './cron-parser.ts';
export type { CronParseOptions } from './cron-parser.ts';
export { parseAws } from './aws-parser.ts';
export { parseInterval } from './interval-parser.ts';
export { parseSystemdCalendar } from './systemd-parser.ts';
export { normalizeSystemd } from './systemd-normalize.ts';
export { parseDuration, formatDuration, DURATION_INVALID } from './duration.ts';
export { compileSchedule } from './compile-schedule.ts';
export type { Schedule, ScheduleOptions } from './compile-schedule.ts';
export { dstPolicyOf, isFixedTime, GapRule, RepeatRule } from './dst-policy.ts';
export type { DstPolicy } from './dst-policy.ts';
export { normalizeSchedule } from './normalize.ts';
export { formatCron } from './cron-printer.ts';
export { formatAwsCron, formatAwsRate } from './aws-printer.ts';
export { startsWithStar } from './day-rules.ts';
export { dayUnion, effectiveDayMatch } from './day-union.ts';
export { monthNames, weekdayNames } from './day-names.ts';
export { describeSchedule, scheduleKind, ScheduleKind } from './describe-schedule.ts';
export { scheduleInWords } from './schedule-in-words.ts';
export { formatElapse, formatIsoInZone, formatOffset, formatTimeSpan } from './format-elapse.ts';
export { wallToInstant } from './wall-to-instant.ts';
export { instantForms, parseDateTime, parseInstant } from './parse-instant.ts';
export { isKnownTimeZone } from './calendar-error.ts';
export { isUtcZone, zoneOffsets } from './zone-offsets.ts';
export type { ZoneOffsets, ZoneTransition } from './zone-offsets.ts';
