/**
 * A job's schedules as `[Timer]` settings: calendars as `OnCalendar=` in systemd's own
 * normalised form with the zone appended, intervals as the exact calendar when the period divides
 * the day (else `OnActiveSec=` + `OnUnitActiveSec=`), start-up as `OnBootSec=`.
 */
import type { CalendarSpec, IntervalSpec, ScheduleSpec } from '../../calendar/index.ts';
import {
  CALENDAR_UNREPRESENTABLE,
  dayUnion,
  normalizeSystemd,
  parseSystemdCalendar,
} from '../../calendar/index.ts';
import type { ResolvedSchedule } from '../../config/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import { dstDifferences } from './dst-differences.ts';
import { systemdSpan } from './systemd-span.ts';

export interface TimerTriggers {
  /** `OnCalendar=...`, `OnBootSec=...` lines, in the order of the schedules. */
  readonly lines: readonly string[];
  /** What could not be said exactly, and what was done: `[message, action]`. */
  readonly notes: readonly (readonly [string, string])[];
}

/**
 * `now` starts the year in which the fires around each daylight-saving change of a calendar's zone
 * are compared with systemd's; a difference is a note.
 */
export function timerTriggers(
  schedules: readonly ResolvedSchedule[],
  timezone: string,
  now: number,
): TimerTriggers {
  const lines: string[] = [];
  const notes: [string, string][] = [];
  for (const schedule of schedules) {
    const spec: ScheduleSpec = schedule.spec;
    switch (spec.kind) {
      case 'startup':
        lines.push('OnBootSec=0');
        break;
      case 'interval': {
        const calendar = intervalCalendar(spec);
        if (calendar !== undefined) {
          lines.push(`OnCalendar=${calendar}`);
          break;
        }
        const span = systemdSpan(spec.everyMs);
        lines.push(`OnActiveSec=${span}`, `OnUnitActiveSec=${span}`);
        notes.push([
          `schedule "${schedule.text}" does not divide the day, so no OnCalendar= says it exactly`,
          `became OnActiveSec=${span} + OnUnitActiveSec=${span}: every ${span} from the timer's start, not from the epoch`,
        ]);
        break;
      }
      case 'calendar': {
        const zoned = { ...spec, timezone: spec.timezone ?? timezone } satisfies CalendarSpec;
        const split = dayUnion(zoned);
        try {
          const texts = split.map((part) => normalizeSystemd(part));
          lines.push(...texts.map((text) => `OnCalendar=${text}`));
          if (split.length > 1) {
            notes.push([
              `schedule "${schedule.text}" fires when the day of month OR the weekday matches; one OnCalendar= needs both`,
              `became ${texts.length} OnCalendar= lines whose union is the same set of fires`,
            ]);
          }
          for (const difference of dstDifferences(zoned, texts, now)) {
            const day = new Date(difference.at).toISOString().slice(0, 10);
            notes.push(
              difference.change === 'gap'
                ? [
                    `schedule "${schedule.text}" fires at a wall time the ${zoned.timezone} clock skips when it springs forward (${day}): cronplane runs it just after the gap, systemd skips it`,
                    'kept as OnCalendar= in the zone (the fires away from the change are the same)',
                  ]
                : [
                    `schedule "${schedule.text}" fires in the hour the ${zoned.timezone} clock repeats when it falls back (${day}): cronplane runs it in both passes, systemd once`,
                    'kept as OnCalendar= in the zone (the fires away from the change are the same)',
                  ],
            );
          }
        } catch (thrown) {
          if (!(thrown instanceof CronplaneError) || thrown.code !== CALENDAR_UNREPRESENTABLE) throw thrown;
          notes.push([`schedule "${schedule.text}": ${thrown.message}`, 'left out of the timer']);
        }
        break;
      }
      default:
        spec satisfies never;
    }
  }
  return { lines, notes };
}

/**
 * `every N` counts periods from its anchor in UTC: when N divides a minute, an hour or a day
 * (whole seconds, minutes or hours) the same fires are one repetition in a UTC calendar.
 */
function intervalCalendar(spec: IntervalSpec): string | undefined {
  const every = spec.everyMs;
  if (every % 1000 !== 0) return undefined;
  const offset = (((spec.anchorMs % every) + every) % every) / 1000;
  const seconds = every / 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  const s = offset % 60;
  const m = Math.floor(offset / 60) % 60;
  const h = Math.floor(offset / 3600);
  let text: string | undefined;
  if (60 % seconds === 0) text = `*-*-* *:*:${two(s)}/${seconds}`;
  else if (seconds % 60 === 0 && 3600 % seconds === 0) text = `*-*-* *:${two(m)}/${seconds / 60}:${two(s)}`;
  else if (seconds % 3600 === 0 && 86_400 % seconds === 0)
    text = `*-*-* ${two(h)}/${seconds / 3600}:${two(m)}:${two(s)}`;
  if (text === undefined) return undefined;
  return normalizeSystemd(parseSystemdCalendar(`${text} UTC`));
}
