import { CronplaneError } from '../../errors/index.ts';
import type { ListedRunView, RunQuery } from '../../control/index.ts';
import { RunStatus, isRunStatus } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { compactMetrics } from '../compact-metrics.ts';
import { parseInstantOrAgo } from '../options/instant-or-ago.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface RunsOptions extends ControlCommandOptions {
  readonly status?: string;
  readonly since?: string;
  readonly until?: string;
  readonly key?: string;
  readonly limit: number;
  readonly json?: boolean;
}

/**
 * `cronplane runs [JOB]`: recorded runs, newest first, from the store or a daemon's API. Every
 * filter goes to the query (`Control.listRuns`), so `--limit` counts matching runs only.
 */
export async function runRuns(job: string | undefined, options: RunsOptions, io: CliIo): Promise<number> {
  try {
    const query = runQueryOf(job, options, Date.now());
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      const page = await control.listRuns(query);
      printRuns(page.runs, options.json === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/** The query the options ask for; a bad option is refused by name before anything is read. */
export function runQueryOf(job: string | undefined, options: RunsOptions, now: number): RunQuery {
  const statuses = (options.status ?? '').split(',').filter((status) => status !== '');
  for (const status of statuses) {
    if (!isRunStatus(status)) {
      throw new CronplaneError(
        'cli.status',
        `--status ${JSON.stringify(status)} is not a run status; expected ${Object.keys(RunStatus).join(', ')}`,
      );
    }
  }
  if (options.status !== undefined && statuses.length === 0) {
    throw new CronplaneError('cli.status', `--status needs at least one run status`);
  }
  if (options.key === '') {
    throw new CronplaneError('cli.key', `--key needs a fan-out key (a tenant, a region)`);
  }
  const from = options.since === undefined ? undefined : parseInstantOrAgo(options.since, '--since', now);
  const to = options.until === undefined ? undefined : parseInstantOrAgo(options.until, '--until', now);
  if (from !== undefined && to !== undefined && to <= from) {
    throw new CronplaneError(
      'cli.until',
      `--until ${JSON.stringify(options.until)} is not after --since ${JSON.stringify(options.since)}`,
    );
  }
  return {
    ...(job === undefined ? {} : { job }),
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(statuses.length === 0 ? {} : { status: statuses.filter(isRunStatus) }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    limit: Math.min(options.limit, 1000),
  };
}

/** A table (or one JSON object per line, as the API shows them) of runs. */
function printRuns(runs: readonly ListedRunView[], json: boolean, io: CliIo): void {
  if (json) {
    for (const run of runs) io.out(JSON.stringify(run));
    return;
  }
  if (runs.length === 0) {
    io.out('no runs recorded');
    return;
  }
  io.out(
    [
      'ID',
      'JOB',
      'KEY',
      'TRIGGER',
      'ATTEMPT',
      'STATUS',
      'SCHEDULED (UTC)',
      'DURATION',
      'EXIT',
      'METRICS',
    ].join('\t'),
  );
  for (const run of runs) {
    io.out(
      [
        run.id,
        run.job,
        run.fanKey === '' ? '-' : run.fanKey,
        run.trigger,
        run.attempt,
        run.status,
        run.scheduledAt,
        run.durationMs === null ? '-' : `${(run.durationMs / 1000).toFixed(3)}s`,
        run.exitCode ?? run.httpStatus ?? '-',
        compactMetrics(run.metrics),
      ].join('\t'),
    );
  }
}
