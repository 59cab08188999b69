import type { MonitorView } from '../../control/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface MonitorsOptions extends ControlCommandOptions {
  readonly json?: boolean;
}

/**
 * `cronplane monitors`: each monitor's name, status, when it was paused (if it is), last ping and
 * ping URL; from a daemon's API when --server (or CRONPLANE_SERVER without --store) names one,
 * else from the store (ping URLs on the job file's `server.public_url`, else its listen address).
 */
export async function runMonitors(options: MonitorsOptions, io: CliIo): Promise<number> {
  try {
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      printMonitors(await control.listMonitors(), options.json === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function printMonitors(monitors: readonly MonitorView[], json: boolean, io: CliIo): void {
  if (json) {
    for (const monitor of monitors) io.out(JSON.stringify(monitor));
    return;
  }
  if (monitors.length === 0) {
    io.out('no monitors: declare them under monitors: in the job file');
    return;
  }
  io.out(['NAME', 'STATUS', 'PAUSED SINCE (UTC)', 'LAST PING (UTC)', 'PING URL'].join('\t'));
  for (const monitor of monitors) {
    const paused = monitor.paused ? (monitor.pausedAt ?? '?') : '-';
    io.out([monitor.name, monitor.status, paused, monitor.lastPingAt ?? '-', monitor.pingUrl].join('\t'));
  }
}
