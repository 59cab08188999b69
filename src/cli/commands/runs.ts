import { CronplaneError } from '../../errors/index.ts';
import type { RunView } from '../../control/index.ts';
import { isRunStatus } from '../../store/index.ts';
import type { RunStatus } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface RunsOptions extends ControlCommandOptions {
  readonly status?: string;
  readonly limit: number;
  readonly json?: boolean;
}

/** `cronplane runs [JOB]`: recorded runs, newest first, from the store or a daemon's API. */
export async function runRuns(job: string | undefined, options: RunsOptions, io: CliIo): Promise<number> {
  try {
    const statuses = (options.status ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map((status): RunStatus => {
        if (!isRunStatus(status)) {
          throw new CronplaneError('cli.status', `--status ${JSON.stringify(status)} is not a run status`);
        }
        return status;
      });
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      const page = await control.listRuns({
        ...(job === undefined ? {} : { job }),
        ...(statuses.length === 0 ? {} : { status: statuses }),
        limit: Math.min(options.limit, 1000),
      });
      printRuns(page.runs, options.json === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/** A table (or one JSON object per line, as the API shows them) of runs. */
function printRuns(runs: readonly RunView[], json: boolean, io: CliIo): void {
  if (json) {
    for (const run of runs) io.out(JSON.stringify(run));
    return;
  }
  if (runs.length === 0) {
    io.out('no runs recorded');
    return;
  }
  io.out(
    ['ID', 'JOB', 'KEY', 'TRIGGER', 'ATTEMPT', 'STATUS', 'SCHEDULED (UTC)', 'DURATION', 'EXIT'].join('\t'),
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
      ].join('\t'),
    );
  }
}
