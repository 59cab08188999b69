/**
 * The parsed form of a schedule: one explicit, inspectable model for every syntax cronplane
 * reads (cron, systemd OnCalendar, AWS cron()/rate(), `every 30s`). Parsers produce it, the
 * engine compiles it for `next()`/`previous()`, normalisers and exporters print it back.
 *
 * Data is immutable and every union is discriminated on `kind`.
 */

export const Syntax = {
  cron: 'cron',
  systemd: 'systemd',
  aws: 'aws',
  interval: 'interval',
} as const;
export type Syntax = keyof typeof Syntax;

/** A single value: cron `5`, systemd `05`. */
export interface ValueItem {
  readonly kind: 'value';
  readonly value: number;
}

/** An inclusive range with a step: cron `1-5`, `1-30/2`, `*\/15` (start=min, end=max, fromAny); systemd `1..5`. */
export interface RangeItem {
  readonly kind: 'range';
  readonly start: number;
  readonly end: number;
  readonly step: number;
  /** True when written as `*` with a step (cron `*\/15`), so printers can give it back as written. */
  readonly fromAny?: boolean;
}

/** A repetition to the end of the field: cron `5/15`, systemd `00/15` (start, start+step, ...). */
export interface RepeatItem {
  readonly kind: 'repeat';
  readonly start: number;
  readonly step: number;
}

export type FieldItem = ValueItem | RangeItem | RepeatItem;

/** A field of the calendar: every value, or the union of a list of items. */
export type Field =
  { readonly kind: 'any' } | { readonly kind: 'list'; readonly items: readonly FieldItem[] };

/** Day-of-month items beyond plain values. */
export type DayOfMonthItem =
  | FieldItem
  /** cron `L` (offset 0), `L-3` (offset 3): the last day of the month minus offset. */
  | { readonly kind: 'last-day'; readonly offset: number }
  /** cron `15W`: the weekday (Mon-Fri) nearest to day 15, not leaving the month. */
  | { readonly kind: 'nearest-weekday'; readonly day: number }
  /** cron `LW`: the last weekday (Mon-Fri) of the month. */
  | { readonly kind: 'last-weekday' }
  /**
   * systemd `~N` forms: days counted from the end of the month, 1 = the last day.
   * `*-02~03` is { start: 3 } (the third last day); `~07/1` is { start: 7, step: 1 } (the last
   * seven days); `~5..1` is { start: 5, end: 1 }.
   */
  | { readonly kind: 'from-end'; readonly start: number; readonly end?: number; readonly step?: number };

export type DayOfMonthField =
  { readonly kind: 'any' } | { readonly kind: 'list'; readonly items: readonly DayOfMonthItem[] };

/** Day-of-week items beyond plain values. Weekdays are 0-6, Sunday = 0, in every syntax. */
export type DayOfWeekItem =
  | FieldItem
  /** cron `5#3`: the third Friday of the month (n = 1..5). */
  | { readonly kind: 'nth-weekday'; readonly weekday: number; readonly n: number }
  /** cron `5L`: the last Friday of the month. */
  | { readonly kind: 'last-weekday-of-month'; readonly weekday: number };

export type DayOfWeekField =
  { readonly kind: 'any' } | { readonly kind: 'list'; readonly items: readonly DayOfWeekItem[] };

/**
 * How day-of-month and day-of-week combine when both are restricted. Vixie cron uses `or`
 * (`0 0 13 * 5` fires on every 13th and on every Friday); systemd and AWS use `and`.
 */
export type DayMatch = 'or' | 'and';

/**
 * A set of calendar instants: the union over the cartesian product of the fields, evaluated as
 * wall-clock time in `timezone` (or in the zone the caller supplies when it is absent).
 * Ranges: second 0-59, minute 0-59, hour 0-23, dayOfMonth 1-31, month 1-12, dayOfWeek 0-6,
 * year 1970-2199.
 */
export interface CalendarSpec {
  readonly kind: 'calendar';
  readonly syntax: Exclude<Syntax, 'interval'>;
  /** The text as the user wrote it. */
  readonly source: string;
  readonly second: Field;
  /**
   * Sub-second part of the elapse, in microseconds (systemd `*:*:01.500000`): a list of values
   * or repetitions of microseconds within the second. Absent means 0.
   */
  readonly microsecond?: Field;
  /**
   * systemd only, and only where `second` × `microsecond` cannot say it: the elapse's offset
   * inside its minute in microseconds (0-59_999_999), the unit systemd itself keeps seconds in.
   * Needed when the seconds chain is not "whole seconds × one sub-second set", as in
   * `*:*:00/1.5` (0, 1.5, 3, 4.5 ... s) or `*:*:01.5,02`. When present it replaces both: the
   * parser then sets `second` to `any` and leaves `microsecond` absent.
   */
  readonly microsecondOfMinute?: Field;
  readonly minute: Field;
  readonly hour: Field;
  readonly dayOfMonth: DayOfMonthField;
  readonly month: Field;
  readonly dayOfWeek: DayOfWeekField;
  readonly year: Field;
  readonly dayMatch: DayMatch;
  /** IANA zone named by the expression itself (`CRON_TZ=`, systemd suffix); else the caller's. */
  readonly timezone?: string;
  /** A shorthand the user wrote (`@daily`, `hourly`), kept so printers can give it back. */
  readonly shorthand?: string;
}

/** `every 30s`, AWS `rate(5 minutes)`: fixed-length periods from an anchor instant. */
export interface IntervalSpec {
  readonly kind: 'interval';
  readonly syntax: 'interval' | 'aws';
  readonly source: string;
  /** Period length in milliseconds, > 0. */
  readonly everyMs: number;
  /**
   * Epoch milliseconds the periods are counted from: elapses are anchorMs + k * everyMs.
   * 0 (the Unix epoch) unless the expression gives an anchor or offset, so `every 1h` fires on
   * the hour in UTC and `every 30s` on :00 and :30.
   */
  readonly anchorMs: number;
}

/** cron `@reboot`: fires once when the daemon starts, never from the calendar. */
export interface StartupSpec {
  readonly kind: 'startup';
  readonly syntax: 'cron';
  readonly source: string;
}

export type ScheduleSpec = CalendarSpec | IntervalSpec | StartupSpec;
