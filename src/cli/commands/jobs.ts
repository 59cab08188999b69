import type { Control, EventView, JobView } from '../../control/index.ts';
import { ControlError } from '../../control/index.ts';
import { EventSeverity } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface JobsOptions extends ControlCommandOptions {
  readonly json?: boolean;
}

/** The open events of a job: how many, and the worst severity among them (null when none). */
export interface OpenEvents {
  readonly count: number;
  readonly worst: EventSeverity | null;
}

/** A job as `cronplane jobs --json` prints it: the API's view of the job, with its open events. */
export type JobOverview = JobView & { readonly openEvents: OpenEvents };

const severityRank = Object.keys(EventSeverity) as EventSeverity[];

/**
 * `cronplane jobs`: every job in force, by name, with its next fire, its last run (status, when),
 * whether it is paused, its open events and its source (the job file, or the API with its
 * version), as `systemctl list-timers` lists timers. From the store (the job file's jobs and the
 * API's resolved against it) or a daemon's API, through the same operations (`listJobs`,
 * `listEvents`).
 */
export async function runJobs(options: JobsOptions, io: CliIo): Promise<number> {
  try {
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      const jobs = await listEveryJob(control);
      const open = await openEventsByJob(control, jobs);
      const overview = jobs.map((job) => ({
        ...job,
        openEvents: open.get(job.name) ?? { count: 0, worst: null },
      }));
      if (options.json === true) for (const job of overview) shown.out(JSON.stringify(job));
      else printTable(overview, Date.now(), shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

async function listEveryJob(control: Control): Promise<JobView[]> {
  const jobs: JobView[] = [];
  let cursor: string | undefined;
  do {
    const page = await control.listJobs({ limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    jobs.push(...page.jobs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return jobs;
}

/**
 * Open events counted per job: one listing of every open event; for a token limited to some jobs
 * (refused that listing) one per job.
 */
async function openEventsByJob(control: Control, jobs: readonly JobView[]): Promise<Map<string, OpenEvents>> {
  let events: EventView[];
  try {
    events = await everyOpenEvent(control, undefined);
  } catch (thrown) {
    if (!(thrown instanceof ControlError && thrown.kind === 'forbidden')) throw thrown;
    events = (await Promise.all(jobs.map((job) => everyOpenEvent(control, job.name)))).flat();
  }
  const open = new Map<string, OpenEvents>();
  for (const event of events) {
    if (event.job === null) continue;
    const known = open.get(event.job) ?? { count: 0, worst: null };
    const worse =
      known.worst === null || severityRank.indexOf(event.severity) > severityRank.indexOf(known.worst);
    open.set(event.job, { count: known.count + 1, worst: worse ? event.severity : known.worst });
  }
  return open;
}

async function everyOpenEvent(control: Control, job: string | undefined): Promise<EventView[]> {
  const events: EventView[] = [];
  let cursor: number | undefined;
  do {
    const page = await control.listEvents({
      open: true,
      limit: 1000,
      ...(job === undefined ? {} : { job }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return events;
}

function printTable(jobs: readonly JobOverview[], now: number, io: CliIo): void {
  if (jobs.length === 0) {
    io.out('no jobs in the job file');
    return;
  }
  io.out(
    ['JOB', 'NEXT (UTC)', 'LEFT', 'LAST (UTC)', 'PASSED', 'STATUS', 'PAUSED', 'OPEN EVENTS', 'SOURCE'].join(
      '\t',
    ),
  );
  for (const job of jobs) {
    const next = job.nextFireAt;
    const last = job.lastRun === null ? null : (job.lastRun.finishedAt ?? job.lastRun.scheduledAt);
    io.out(
      [
        job.name,
        next ?? (job.enabled ? (job.schedules.length === 0 ? 'on demand' : '-') : 'disabled'),
        next === null ? '-' : roughDuration(Date.parse(next) - now),
        last ?? '-',
        last === null ? '-' : `${roughDuration(now - Date.parse(last))} ago`,
        job.lastRun?.status ?? '-',
        job.paused ? 'paused' : '-',
        job.openEvents.count === 0 ? '-' : `${job.openEvents.count} (${job.openEvents.worst})`,
        job.source === 'api' ? `api v${job.version}` : 'file',
      ].join('\t'),
    );
  }
}

const units: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** A span in its largest unit and the one below it, `2h 5m`, `3d 4h`, `45s`; under a second `0s`. */
export function roughDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000)) * 1000;
  const first = units.findIndex(([, size]) => seconds >= size);
  if (first === -1) return '0s';
  const [unit, size] = units[first] as readonly [string, number];
  const text = `${Math.floor(seconds / size)}${unit}`;
  const below = units[first + 1];
  if (below === undefined) return text;
  const rest = Math.floor((seconds % size) / below[1]);
  return rest === 0 ? text : `${text} ${rest}${below[0]}`;
}
