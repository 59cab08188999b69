import { Alerter } from '../alerts/index.ts';
import type { ChannelEntry, ResolvedConfig, ResolvedJob } from '../config/index.ts';
import { resolveJobEntry } from '../config/index.ts';
import { systemClock } from '../clock/index.ts';
import { createLogger } from '../logging/index.ts';
import { Outbox, channelsOf, defaultDeliveryPolicy } from '../notify/index.ts';
import type { DeliveryPolicy, DeliveryReport } from '../notify/index.ts';
import type { ResolveIncident } from '../control/index.ts';
import type { Store } from '../store/index.ts';
import type { CliIo } from './cli-io.ts';

/** How long `cronplane events resolve` waits for the channels (with their retries) before it gives up. */
export const localResolveGraceMs = 15_000;

/** A person waits at the terminal: three attempts a second apart, not the daemon's patient eight. */
export const localResolvePolicy: DeliveryPolicy = { ...defaultDeliveryPolicy, attempts: 3, delayMs: 1_000 };

/**
 * How the CLI's control over a store resolves an event by hand (`cronplane events resolve`
 * without a daemon): closes the event in the store and, as the daemon would, tells the channels
 * that were told of it (the job's or monitor's `notify:` routes of the job file) that it is
 * resolved, PagerDuty incidents included. Prints a line per delivery. False when the event was
 * no longer open. Without a job file, the event is closed and the channels are not told (a
 * warning says so).
 */
export function cliResolveIncident(
  store: Store,
  config: ResolvedConfig | undefined,
  io: CliIo,
): ResolveIncident {
  return async (event, by) => {
    const reports: DeliveryReport[] = [];
    const usable = usableChannels(config, io);
    const channels = config === undefined ? new Map() : channelsOf(usable, { timezone: config.timezone });
    const outbox = new Outbox({
      channels,
      policy: localResolvePolicy,
      onReport: (report) => void reports.push(report),
    });
    const alerter = new Alerter({
      store,
      clock: systemClock(),
      logger: createLogger({ level: 'silent' }),
      outbox,
    });
    if (config !== undefined) alerter.setConfig(config, channels, await jobsFor(store, config, event.job));
    const resolved = await alerter.resolveByHand(event, by);
    await outbox.release({ graceMs: localResolveGraceMs });
    if (resolved && config === undefined && event.notifiedAt !== null) {
      io.err(
        'warning: no job file was found, so the channels told of this event were not told it is resolved (give --config)',
      );
    }
    for (const report of reports) {
      if (report.outcome === 'delivered')
        io.out(`told "${report.channel}" (${report.channelKind}) it is resolved`);
      else if (report.outcome === 'failed') {
        io.err(
          `warning: could not tell "${report.channel}" (${report.channelKind}) it is resolved: ${report.error}`,
        );
      } else io.err(`warning: "${report.channel}" was not told: ${report.reason}`);
    }
    return resolved;
  };
}

/**
 * The job file's jobs, with the event's job when it was defined through the API (resolved
 * against the file as the daemon does), so its own `notify:` routes the resolve.
 */
async function jobsFor(
  store: Store,
  config: ResolvedConfig,
  job: string | null,
): Promise<readonly ResolvedJob[]> {
  if (job === null || config.loaded === undefined || config.jobs.some((known) => known.name === job))
    return config.jobs;
  const record = await store.getApiJob(job);
  if (record === undefined) return config.jobs;
  try {
    return [...config.jobs, resolveJobEntry(config.loaded, job, record.entry)];
  } catch {
    // An entry the file in force no longer resolves: the file's defaults route it, as before.
    return config.jobs;
  }
}

/**
 * The job file's channels that can be told: one whose entry holds a `${VAR}` left unset (the
 * file was read without demanding its secrets) is left out, with a warning naming the variable.
 */
function usableChannels(config: ResolvedConfig | undefined, io: CliIo): ReadonlyMap<string, ChannelEntry> {
  if (config === undefined) return new Map();
  const usable = new Map(config.channels);
  for (const left of config.unresolved ?? []) {
    const name = /^channels\.([^.[]+)/.exec(left.path)?.[1];
    if (name === undefined || !usable.delete(name)) continue;
    io.err(`warning: "${name}" cannot be told: ${left.message}`);
  }
  return usable;
}
