import { CronplaneError, coerceError } from '../errors/index.ts';
import { parseSchedule } from '../calendar/index.ts';
import type { Report } from './config-problems.ts';
import type { ScheduleEntry } from './job-file-schema.ts';
import type { ResolvedSchedule } from './resolved-config.ts';
import type { SharedParts } from './shared-parts.ts';

/** A job's or monitor's `schedule:`, each parsed; a problem is reported at the schedule's text. */
export function resolveSchedules(
  schedule: ScheduleEntry | readonly ScheduleEntry[] | undefined,
  fieldPath: readonly PropertyKey[],
  report: Report,
  shared: SharedParts,
): readonly ResolvedSchedule[] {
  if (schedule === undefined) return noSchedules;
  // The same schedule text parses to the same (immutable) spec: parsed once per file.
  if (typeof schedule === 'string') {
    const known = shared.schedules.get(schedule);
    if (known !== undefined) return known;
  }
  const list = Array.isArray(schedule) ? schedule : [schedule as ScheduleEntry];
  const resolved: ResolvedSchedule[] = [];
  list.forEach((item, index) => {
    const itemPath = Array.isArray(schedule) ? [...fieldPath, index] : fieldPath;
    const text = typeof item === 'string' ? item : item.expr;
    try {
      const spec =
        typeof item === 'string' ? parseSchedule(text) : parseSchedule(text, { syntax: item.syntax });
      resolved.push({ text, spec });
    } catch (thrown) {
      const error = coerceError(thrown);
      const position = error instanceof CronplaneError ? error.location?.position : undefined;
      report(
        typeof item === 'string' ? itemPath : [...itemPath, 'expr'],
        `invalid schedule ${JSON.stringify(text)}: ${error.message}`,
        position,
      );
    }
  });
  if (typeof schedule === 'string' && resolved.length === 1) {
    Object.freeze(resolved[0]);
    shared.schedules.set(schedule, Object.freeze(resolved));
  }
  return resolved;
}

const noSchedules: readonly ResolvedSchedule[] = Object.freeze([]);
