import { CronplaneError } from '../../errors/index.ts';
import type { EventView } from '../../control/index.ts';
import { EventSeverity, isEventSeverity } from '../../store/index.ts';
import type { EventSeverity as Severity } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface EventsOptions extends ControlCommandOptions {
  readonly job?: string;
  readonly open?: boolean;
  readonly severity?: string;
  readonly kind?: string;
  readonly limit: number;
  readonly json?: boolean;
}

/** `--severity critical,failure` as severities; anything else is a usage error naming the allowed ones. */
export function parseSeverities(text: string | undefined): Severity[] {
  const severities = (text ?? '').split(',').filter((severity) => severity !== '');
  for (const severity of severities) {
    if (!isEventSeverity(severity)) {
      throw new CronplaneError(
        'cli.severity',
        `--severity ${JSON.stringify(severity)} is not a severity; expected ${Object.keys(EventSeverity).join(', ')}`,
      );
    }
  }
  return severities as Severity[];
}

/** `cronplane events`: recorded events, newest first, from the store or a daemon's API. */
export async function runEvents(options: EventsOptions, io: CliIo): Promise<number> {
  try {
    const severities = parseSeverities(options.severity);
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      const page = await control.listEvents({
        ...(options.job === undefined ? {} : { job: options.job }),
        ...(options.kind === undefined ? {} : { kind: options.kind }),
        ...(severities.length === 0 ? {} : { severity: severities }),
        ...(options.open === true ? { open: true } : {}),
        limit: Math.min(options.limit, 1000),
      });
      printEvents(page.events, options.json === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/**
 * `cronplane events resolve ID`: closes an open event by hand (on the API: scope trigger,
 * audited under the token's name; on the store: audited as `cli`, and the command tells the
 * channels of the job file itself).
 */
export async function runEventResolve(
  id: string,
  options: ControlCommandOptions,
  io: CliIo,
): Promise<number> {
  try {
    if (!/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
      throw new CronplaneError('cli.event-id', `"${id.slice(0, 40)}" is not an event id (a whole number)`);
    }
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      shown.out(resolvedLine(await control.resolveEvent(Number(id))));
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function resolvedLine(event: EventView): string {
  return `resolved event ${event.id} (${event.kind}${event.job === null ? '' : ` of ${event.job}`}) at ${event.resolvedAt ?? '?'}`;
}

/** A table (or one JSON object per line) of events. */
function printEvents(events: readonly EventView[], json: boolean, io: CliIo): void {
  if (json) {
    for (const event of events) io.out(JSON.stringify(event));
    return;
  }
  if (events.length === 0) {
    io.out('no events recorded');
    return;
  }
  io.out(
    [
      'ID',
      'SEVERITY',
      'KIND',
      'JOB',
      'RUN',
      'COUNT',
      'FIRST SEEN (UTC)',
      'LAST SEEN (UTC)',
      'RESOLVED (UTC)',
    ].join('\t'),
  );
  for (const event of events) {
    io.out(
      [
        event.id,
        event.severity,
        event.kind,
        event.job ?? '-',
        event.runId ?? '-',
        event.count,
        event.firstSeen,
        event.lastSeen,
        event.resolvedAt ?? 'open',
      ].join('\t'),
    );
  }
}
