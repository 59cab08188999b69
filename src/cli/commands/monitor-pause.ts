import type { MonitorChange } from '../../control/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export type MonitorPauseOptions = ControlCommandOptions;

/**
 * `cronplane monitors pause NAME` / `monitors resume NAME`: pauses a monitor for maintenance (it
 * is not taken down and raises no alert) or resumes it (its lateness counts from now). Through a
 * daemon's API when --server (or CRONPLANE_SERVER without --store) names one, with CRONPLANE_TOKEN
 * of scope admin; else on the store, audited as `cli`, where a running daemon sees it at its next
 * look at the monitors. Pausing a paused monitor changes nothing and exits 0.
 */
export async function runMonitorPause(
  name: string,
  paused: boolean,
  options: MonitorPauseOptions,
  io: CliIo,
): Promise<number> {
  try {
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      const change = paused ? await control.pauseMonitor(name) : await control.resumeMonitor(name);
      shown.out(describeChange(change));
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

function describeChange({ monitor, changed }: MonitorChange): string {
  const { name, status } = monitor;
  if (monitor.paused) {
    return changed
      ? `paused ${name} (${status}): it is not taken down and raises no alert until "cronplane monitors resume ${name}"`
      : `${name} was already paused (since ${monitor.pausedAt ?? '?'}); nothing changed`;
  }
  return changed
    ? `resumed ${name} (${status}): its lateness counts from ${monitor.resumedAt ?? 'now'}`
    : `${name} was not paused; nothing changed`;
}
