/**
 * What a calendar schedule does when its wall-clock time falls into a daylight-saving gap (the
 * clock jumps forward) or repeat (the clock falls back). See docs/calendar.md.
 */
import type { CalendarSpec, Field } from './calendar-spec.ts';
import { startsWithStar } from './day-rules.ts';

export const GapRule = {
  /** The wall time does not exist that day: no elapse. */
  skip: 'skip',
  /** Elapse once at the first instant after the gap (Vixie cron's fixed-time jobs). */
  shift: 'shift',
} as const;
export type GapRule = keyof typeof GapRule;

export const RepeatRule = {
  /** A repeated wall time elapses once, at its first occurrence. */
  first: 'first',
  /** Every real instant whose wall time matches elapses: twice in the repeated hour. */
  both: 'both',
} as const;
export type RepeatRule = keyof typeof RepeatRule;

export interface DstPolicy {
  readonly gap: GapRule;
  readonly repeat: RepeatRule;
}

/**
 * The rule of each syntax:
 * - cron, fixed-time job (no `*` in the second, minute and hour fields, as Vixie cron and cronie
 *   decide): a gap time elapses once right after the gap; a repeated time elapses once, first.
 * - cron, wildcard job (`*` or `*\/n` in one of those fields, `@hourly`): every real instant whose
 *   wall clock matches; nothing inside a gap, both passes of a repeat.
 * - systemd: gap times never elapse; repeated times elapse once, the first time (systemd computes
 *   the next elapse as the next later wall-clock time, so it does not go back for the repeat).
 * - aws: as EventBridge Scheduler documents: gap times are skipped, repeated times run once.
 */
export function dstPolicyOf(spec: CalendarSpec): DstPolicy {
  switch (spec.syntax) {
    case 'cron':
      return isFixedTime(spec) ? { gap: 'shift', repeat: 'first' } : { gap: 'skip', repeat: 'both' };
    case 'systemd':
    case 'aws':
      return { gap: 'skip', repeat: 'first' };
    default:
      return assertNever(spec.syntax);
  }
}

/**
 * Vixie cron's "fixed-time job": none of second, minute, hour starts with `*` (Vixie and cronie
 * look at the first character of the field, so `5,*` is fixed and `*,5` is not).
 */
export function isFixedTime(spec: CalendarSpec): boolean {
  return !isWild(spec.second) && !isWild(spec.minute) && !isWild(spec.hour);
}

function isWild(field: Field): boolean {
  return startsWithStar(field);
}

function assertNever(value: never): never {
  throw new Error(`unexpected syntax ${String(value)}`);
}
