import type { ScheduleCalendar } from '../types.ts';

/** Kinds whose times are wall-clock times in the job's zone (intervals are real time). */
const zoned = new Set(['cron', 'systemd', 'aws-cron']);

/** What a schedule's words stand for, on hover: its kind, the text as written and its normal form. */
export function scheduleHover(schedule: ScheduleCalendar): string {
  const written = `${schedule.kind}: ${schedule.text}`;
  return schedule.normalForm === schedule.text ? written : `${written} (normal form: ${schedule.normalForm})`;
}

/**
 * A job's schedules in words for the overview: the text as written and its normal form on hover,
 * the zone their times are in; "on demand" when the job has none.
 */
export function ScheduleSummary({
  calendar,
  timezone,
}: {
  readonly calendar: readonly ScheduleCalendar[];
  readonly timezone: string;
}) {
  if (calendar.length === 0) return <span class="muted">on demand</span>;
  return (
    <span class="schedule-summary">
      {calendar.map((schedule, index) => (
        <span key={`${index}:${schedule.text}`} class="schedule-words">
          <abbr title={scheduleHover(schedule)}>{schedule.words}</abbr>
          {index < calendar.length - 1 && '; '}
        </span>
      ))}
      {calendar.some((schedule) => zoned.has(schedule.kind)) && <span class="muted"> · {timezone}</span>}
    </span>
  );
}
