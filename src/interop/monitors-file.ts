import { Document } from 'yaml';
import { formatDuration } from '../calendar/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import type { ExportedFile, ExportOptions, ExportWarning } from './export-result.ts';

/** The companion file an exporter writes beside the files of wrapped jobs. */
export const monitorsFileName = 'cronplane-monitors.yaml';

/** How long after a scheduled time a run may end before its monitor is late, when the job sets no timeout. */
const defaultRunMs = 3_600_000;

/**
 * A job file of monitors only, one per job whose command an exporter wrapped in `cronplane exec
 * --monitor JOB`: `exec` pings the monitor named after the job, which exists only when the daemon's
 * job file declares it. Each monitor keeps the job's schedules (the startup one left out) and zone,
 * a grace of the randomized delay plus the timeout (else an hour), the job's watch settings, and
 * its notify routing (`failure`, `critical`, `missed`, `stuck` → `down`; `recovery` → `up`) with
 * the channels it names, copied as the job file writes them (`options.channels`). The file has no
 * jobs, so a daemon loading it watches the exported runs and does not run the jobs itself.
 */
export function monitorsFile(
  wrapped: readonly ResolvedJob[],
  options: ExportOptions,
): { file: ExportedFile | undefined; warnings: ExportWarning[] } {
  const warnings: ExportWarning[] = [];
  const monitors: Record<string, unknown> = {};
  const channels = new Set<string>();
  for (const job of wrapped) {
    if (monitors[job.name] !== undefined) continue;
    const schedules = job.schedules.filter((schedule) => schedule.spec.kind !== 'startup');
    if (schedules.length === 0) {
      warnings.push({
        job: job.name,
        message: 'a monitor needs a schedule or a period, and the job starts only at boot',
        action: `no monitor ${job.name}: its pings are refused until you declare one`,
      });
      continue;
    }
    const down = unique(['failure', 'critical', 'missed', 'stuck'].flatMap((key) => channelsOf(job, key)));
    const up = channelsOf(job, 'recovery');
    for (const name of [...down, ...up]) channels.add(name);
    const grace = job.randomizedDelayMs + (job.timeoutMs ?? job.maxRuntimeMs ?? defaultRunMs);
    monitors[job.name] = {
      description: `exported job ${job.name}${job.description === undefined ? '' : `: ${job.description.split('\n')[0] ?? ''}`}`,
      schedule: schedules.length === 1 ? schedules[0]?.text : schedules.map((schedule) => schedule.text),
      timezone: job.timezone,
      grace: formatDuration(grace),
      ...(job.watch.expectSuccessWithinMs === undefined
        ? {}
        : { expect_success_within: formatDuration(job.watch.expectSuccessWithinMs) }),
      ...(job.watch.minDurationMs === undefined
        ? {}
        : { min_duration: formatDuration(job.watch.minDurationMs) }),
      ...(job.watch.remindEveryMs === undefined
        ? {}
        : { remind_every: formatDuration(job.watch.remindEveryMs) }),
      ...(down.length + up.length === 0
        ? {}
        : { notify: { ...(down.length === 0 ? {} : { down }), ...(up.length === 0 ? {} : { up }) } }),
    };
  }
  const names = Object.keys(monitors);
  if (names.length === 0) return { file: undefined, warnings };

  const declared: Record<string, unknown> = {};
  for (const name of [...channels].sort()) {
    const source = options.channels?.[name];
    if (source === undefined) {
      warnings.push({
        job: null,
        message: `the channel ${name} is not among the job file's channels as written`,
        action: `declare it in ${monitorsFileName}, which names it`,
      });
    } else declared[name] = source;
  }
  const document = new Document({
    version: 1,
    ...(Object.keys(declared).length === 0 ? {} : { channels: declared }),
    monitors,
  });
  document.commentBefore =
    ` Monitors for the exported commands wrapped in cronplane exec --monitor (from ${options.configPath}).\n` +
    ' A job file of monitors only: load it into the daemon (cronplane start --config THIS_FILE, or add\n' +
    ' its monitors: and channels: to the job file the daemon runs) so that each run is recorded and\n' +
    ' missed or failed runs alert. It declares no jobs, so the daemon does not run them too.';
  warnings.push({
    job: null,
    message: `the wrapped commands report to the monitors ${names.join(', ')}, which the daemon must declare`,
    action:
      `written ${monitorsFileName}, a job file of these monitors only: load it into the daemon ` +
      `(cronplane start --config ${monitorsFileName}, or merge its monitors: and channels: into the daemon's job file)`,
  });
  return { file: { path: monitorsFileName, text: document.toString({ lineWidth: 0 }) }, warnings };
}

function channelsOf(job: ResolvedJob, key: string): string[] {
  return [...((job.notify as Readonly<Record<string, readonly string[] | undefined>>)[key] ?? [])];
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
