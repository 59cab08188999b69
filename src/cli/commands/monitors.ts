import { defaultListen, parseListen, urlOf } from '../../api/listen-address.ts';
import { pingUrlOf } from '../../control/index.ts';
import type { MonitorRecord } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { callApi, reportFailure } from '../api-client.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { apiServerOf } from '../api-server-of.ts';
import { openCommandStore, readCommandConfig } from '../local-store.ts';

export interface MonitorsOptions extends StoreCommandOptions {
  readonly server?: string;
  readonly json?: boolean;
}

/** The fields the list prints, as the API answers them. */
interface MonitorLine {
  readonly name: string;
  readonly status: string;
  readonly paused: boolean;
  readonly pausedAt: string | null;
  readonly lastPingAt: string | null;
  readonly pingUrl: string;
}

/**
 * `cronplane monitors`: each monitor's name, status, when it was paused (if it is), last ping and
 * ping URL; from a daemon's API when --server (or CRONPLANE_SERVER without --store) names one,
 * else from the store.
 */
export async function runMonitors(options: MonitorsOptions, io: CliIo): Promise<number> {
  try {
    const server = apiServerOf(options, io);
    const lines =
      server === undefined
        ? await monitorsFromStore(options, io)
        : (await callApi<{ monitors: MonitorLine[] }>(io, { server, method: 'GET', path: '/api/monitors' }))
            .body.monitors;
    if (options.json === true) {
      for (const line of lines) io.out(JSON.stringify(line));
      return ExitCode.ok;
    }
    if (lines.length === 0) {
      io.out('no monitors: declare them under monitors: in the job file');
      return ExitCode.ok;
    }
    io.out(['NAME', 'STATUS', 'PAUSED SINCE (UTC)', 'LAST PING (UTC)', 'PING URL'].join('\t'));
    for (const line of lines) {
      const paused = line.paused ? (line.pausedAt ?? '?') : '-';
      io.out([line.name, line.status, paused, line.lastPingAt ?? '-', line.pingUrl].join('\t'));
    }
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/** From the store: ping URLs on the job file's `server.public_url`, else its listen address. */
async function monitorsFromStore(options: MonitorsOptions, io: CliIo): Promise<MonitorLine[]> {
  const config = readCommandConfig(options, io);
  const store = await openCommandStore(options, io, { config });
  let records: readonly MonitorRecord[];
  try {
    records = await store.listMonitors();
  } finally {
    await store.release();
  }
  const base =
    config?.publicUrl ?? baseOfListen(io.env['CRONPLANE_LISTEN'] ?? config?.listen ?? defaultListen);
  return [...records]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((record) => ({
      name: record.name,
      status: record.status,
      paused: record.paused,
      pausedAt: record.pausedAt === null ? null : new Date(record.pausedAt).toISOString(),
      lastPingAt: record.lastPingAt === null ? null : new Date(record.lastPingAt).toISOString(),
      pingUrl: pingUrlOf(base, record.pingId),
    }));
}

function baseOfListen(listen: string): string {
  const setting = parseListen(listen, 'the listen address');
  const address = setting.kind === 'off' ? parseListen(defaultListen, 'the default') : setting;
  if (address.kind === 'off') return urlOf('127.0.0.1', 7070);
  const host = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  return urlOf(host, address.port);
}
