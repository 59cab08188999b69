/**
 * The canonical text of a schedule in its own syntax:
 * - cron: 5 fields (6 when seconds are not 0), numbers only, `CRON_TZ=` kept, shorthands expanded;
 * - aws: `cron(...)` with numeric fields and one `?`, or `rate(N unit)`;
 * - interval: `every 1h30m` (largest units first), `offset` when the anchor is not on the period;
 * - systemd: exactly what `systemd-analyze calendar` prints as "Normalized form";
 * - `@reboot` for start-up triggers.
 * normalize(parse(normalize(x))) === normalize(x) for every syntax.
 */
import type { ScheduleSpec } from './calendar-spec.ts';
import { formatAwsCron, formatAwsRate } from './aws-printer.ts';
import { formatCron } from './cron-printer.ts';
import { formatDuration } from './duration.ts';
import { normalizeSystemd } from './systemd-normalize.ts';

export function normalizeSchedule(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'startup':
      return '@reboot';
    case 'interval': {
      if (spec.syntax === 'aws') return formatAwsRate(spec);
      const offset = ((spec.anchorMs % spec.everyMs) + spec.everyMs) % spec.everyMs;
      return `every ${formatDuration(spec.everyMs)}${offset === 0 ? '' : ` offset ${formatDuration(offset)}`}`;
    }
    case 'calendar':
      switch (spec.syntax) {
        case 'cron':
          return formatCron(spec);
        case 'aws':
          return formatAwsCron(spec);
        case 'systemd':
          return normalizeSystemd(spec);
        default:
          return assertNever(spec);
      }
    default:
      return assertNever(spec);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected schedule ${JSON.stringify(value)}`);
}
