import { CronplaneError } from '../../errors/index.ts';
import { eventView } from '../../api/index.ts';
import type { EventView } from '../../api/index.ts';
import { EventSeverity, isEventSeverity } from '../../store/index.ts';
import type { EventSeverity as Severity, ListEventsQuery } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../api-client.ts';
import { listEventsOverApi, resolveEventOverApi } from './events-over-api.ts';
import { resolveEventLocally } from './resolve-event-locally.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { apiServerOf } from '../api-server-of.ts';
import { withLocalStore } from '../local-store.ts';

export interface EventsOptions extends StoreCommandOptions {
  readonly job?: string;
  readonly open?: boolean;
  readonly severity?: string;
  readonly kind?: string;
  readonly limit: number;
  readonly json?: boolean;
  /** Ask this daemon's API instead of the store (also CRONPLANE_SERVER). */
  readonly server?: string;
}

export interface EventsFilter {
  readonly job?: string;
  readonly kind?: string;
  readonly severities: readonly Severity[];
  readonly open: boolean;
  readonly limit: number;
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

/** `cronplane events`: recorded events, newest first, from a daemon's API or the store. */
export async function runEvents(options: EventsOptions, io: CliIo): Promise<number> {
  return withFailureCodes(io, async () => {
    const filter: EventsFilter = {
      ...(options.job === undefined ? {} : { job: options.job }),
      ...(options.kind === undefined ? {} : { kind: options.kind }),
      severities: parseSeverities(options.severity),
      open: options.open === true,
      limit: Math.min(options.limit, 1000),
    };
    const server = apiServerOf(options, io);
    if (server !== undefined) {
      printEvents(await listEventsOverApi(io, server, filter), options.json === true, io);
      return ExitCode.ok;
    }
    return withLocalStore(options, io, async ({ store, io: shown }) => {
      const query: ListEventsQuery = {
        ...(filter.job === undefined ? {} : { job: filter.job }),
        ...(filter.kind === undefined ? {} : { kind: filter.kind }),
        ...(filter.severities.length === 0 ? {} : { severities: filter.severities }),
        ...(filter.open ? { open: true } : {}),
        limit: filter.limit,
      };
      const page = await store.listEvents(query);
      printEvents(page.events.map(eventView), options.json === true, shown);
      return ExitCode.ok;
    });
  });
}

/**
 * `cronplane events resolve ID`: closes an open event by hand (on the API: scope trigger,
 * audited). Without a daemon the command tells the channels itself, from the job file.
 */
export async function runEventResolve(
  id: string,
  options: StoreCommandOptions & { server?: string },
  io: CliIo,
) {
  return withFailureCodes(io, async () => {
    if (!/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
      throw new CronplaneError('cli.event-id', `"${id.slice(0, 40)}" is not an event id (a whole number)`);
    }
    const server = apiServerOf(options, io);
    if (server !== undefined) {
      const resolved = await resolveEventOverApi(io, server, Number(id));
      io.out(resolvedLine(resolved));
      return ExitCode.ok;
    }
    return withLocalStore(options, io, async ({ store, config, io: shown }) => {
      const event = await store.getEvent(Number(id));
      if (event === undefined) throw new CronplaneError('cli.unknown-event', `no event with id ${id}`);
      const at = Date.now();
      if (event.resolvedAt !== null || !(await resolveEventLocally(store, config, event, shown))) {
        const now = (await store.getEvent(event.id)) ?? event;
        throw new CronplaneError(
          'cli.conflict',
          `event ${id} was already resolved at ${new Date(now.resolvedAt ?? at).toISOString()}`,
        );
      }
      await store.recordAudit({
        at,
        actor: 'cli',
        action: 'event.resolve',
        target: `event:${event.id}`,
        details: { kind: event.kind, job: event.job, dedupKey: event.dedupKey },
      });
      shown.out(resolvedLine(eventView((await store.getEvent(event.id)) ?? event)));
      return ExitCode.ok;
    });
  });
}

function resolvedLine(event: EventView): string {
  return `resolved event ${event.id} (${event.kind}${event.job === null ? '' : ` of ${event.job}`}) at ${event.resolvedAt ?? '?'}`;
}

async function withFailureCodes(io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/** A table (or one JSON object per line) of events. */
export function printEvents(events: readonly EventView[], json: boolean, io: CliIo): void {
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
