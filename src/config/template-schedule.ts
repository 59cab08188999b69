import { placeholderPattern } from '../placeholders/index.ts';
import type { Report } from './config-problems.ts';
import type { JobEntry, ScheduleEntry } from './job-file-schema.ts';

type Schedule = NonNullable<JobEntry['schedule']>;

/** One text of a schedule (a string, or `expr` of `{ expr, syntax }`) with its field path. */
interface ScheduleText {
  readonly text: string;
  readonly path: readonly PropertyKey[];
}

/** Every text of a schedule, each with its path under `at` (`schedule`, `schedule[1].expr`). */
export function scheduleTexts(schedule: Schedule, at: readonly PropertyKey[]): ScheduleText[] {
  const entries: readonly ScheduleEntry[] = Array.isArray(schedule) ? schedule : [schedule];
  return entries.map((entry, index) => {
    const path = Array.isArray(schedule) ? [...at, index] : [...at];
    return typeof entry === 'string' ? { text: entry, path } : { text: entry.expr, path: [...path, 'expr'] };
  });
}

/** The `{param}` names a schedule uses, in order, each once. */
export function schedulePlaceholders(schedule: Schedule | undefined): string[] {
  if (schedule === undefined) return [];
  const names = new Set<string>();
  for (const { text } of scheduleTexts(schedule, []))
    for (const match of text.matchAll(placeholderPattern)) names.add(match[1] as string);
  return [...names];
}

/**
 * A template's schedule may hold `{param}` placeholders, each naming one of its declared params
 * (an instance's values take their places before the schedule is parsed); any other is reported
 * at its place in the text.
 */
export function checkTemplateSchedule(
  schedule: Schedule | undefined,
  params: readonly string[],
  at: readonly PropertyKey[],
  report: Report,
): void {
  if (schedule === undefined) return;
  for (const { text, path } of scheduleTexts(schedule, at)) {
    for (const match of text.matchAll(placeholderPattern)) {
      const name = match[1] as string;
      if (params.includes(name)) continue;
      const known =
        params.length === 0 ? 'the template declares no params' : `declared params: ${params.join(', ')}`;
      report(path, `unknown placeholder {${name}} in a template's schedule (${known})`, match.index);
    }
  }
}

/** The schedule with each `{param}` replaced by the instance's value (other text as written). */
export function substituteSchedule(schedule: Schedule, values: Readonly<Record<string, string>>): Schedule {
  const put = (text: string) =>
    text.replace(placeholderPattern, (whole, name: string) =>
      Object.hasOwn(values, name) ? (values[name] as string) : whole,
    );
  const one = (entry: ScheduleEntry): ScheduleEntry =>
    typeof entry === 'string' ? put(entry) : { ...entry, expr: put(entry.expr) };
  return Array.isArray(schedule) ? (schedule.map(one) as Schedule) : one(schedule);
}
