/** Short names and descriptions of schedules, for the CLI, the API and the dashboard. */
import type { ScheduleSpec } from './calendar-spec.ts';

export const ScheduleKind = {
  cron: 'cron',
  systemd: 'systemd',
  'aws-cron': 'aws-cron',
  'aws-rate': 'aws-rate',
  interval: 'interval',
  startup: 'startup',
} as const;
export type ScheduleKind = keyof typeof ScheduleKind;

/** The kind printed by `cronplane calendar`: the syntax, with AWS's two forms apart. */
export function scheduleKind(spec: ScheduleSpec): ScheduleKind {
  switch (spec.kind) {
    case 'startup':
      return 'startup';
    case 'interval':
      return spec.syntax === 'aws' ? 'aws-rate' : 'interval';
    case 'calendar':
      return spec.syntax === 'aws' ? 'aws-cron' : spec.syntax;
    default:
      return assertNever(spec);
  }
}

/** A detail for people, after the kind: `5 fields, day-of-month OR day-of-week`, `fixed periods`. */
export function describeSchedule(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'startup':
      return 'fires once each time the daemon starts';
    case 'interval':
      return 'fixed periods of real time';
    case 'calendar': {
      const zone = spec.timezone === undefined ? '' : `, in ${spec.timezone}`;
      if (spec.syntax !== 'cron') return `calendar${zone}`;
      const second = spec.second;
      const fields =
        second.kind === 'list' &&
        second.items.length === 1 &&
        second.items[0]?.kind === 'value' &&
        second.items[0].value === 0
          ? 5
          : 6;
      return `${fields} fields, day-of-month ${spec.dayMatch === 'or' ? 'OR' : 'AND'} day-of-week${zone}`;
    }
    default:
      return assertNever(spec);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected schedule ${JSON.stringify(value)}`);
}
