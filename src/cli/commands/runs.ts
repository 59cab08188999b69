import { CronplaneError } from '../../errors/index.ts';
import { isRunStatus } from '../../store/index.ts';
import type { RunRecord, RunStatus } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../api-client.ts';
import { withLocalStore } from '../local-store.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { listRunsOverApi } from './runs-over-api.ts';
import { apiServerOf } from '../api-server-of.ts';

export interface RunsOptions extends StoreCommandOptions {
  readonly status?: string;
  readonly limit: number;
  readonly json?: boolean;
  /** Ask this daemon's API instead of the store (also CRONPLANE_SERVER). */
  readonly server?: string;
}

/** `cronplane runs [JOB]`: recorded runs, newest first. */
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
    const server = apiServerOf(options, io);
    if (server !== undefined) {
      await listRunsOverApi(io, server, {
        ...(job === undefined ? {} : { job }),
        statuses,
        limit: options.limit,
        json: options.json === true,
      });
      return ExitCode.ok;
    }
    return await withLocalStore(options, io, async ({ store, io: shown }) => {
      const page = await store.listRuns({
        ...(job === undefined ? {} : { job }),
        ...(statuses.length === 0 ? {} : { status: statuses }),
        limit: options.limit,
      });
      if (options.json === true) {
        for (const run of page.runs) shown.out(JSON.stringify(run));
        return ExitCode.ok;
      }
      if (page.runs.length === 0) {
        shown.out('no runs recorded');
        return ExitCode.ok;
      }
      shown.out(
        ['ID', 'JOB', 'KEY', 'TRIGGER', 'ATTEMPT', 'STATUS', 'SCHEDULED (UTC)', 'DURATION', 'EXIT'].join(
          '\t',
        ),
      );
      for (const run of page.runs) shown.out(formatRunLine(run));
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

export function formatRunLine(run: RunRecord): string {
  const duration =
    run.startedAt !== null && run.finishedAt !== null
      ? `${((run.finishedAt - run.startedAt) / 1000).toFixed(3)}s`
      : '-';
  const exit = run.exitCode ?? run.httpStatus ?? '-';
  return [
    run.id,
    run.job,
    run.fanKey === '' ? '-' : run.fanKey,
    run.trigger,
    run.attempt,
    run.status,
    new Date(run.scheduledAt).toISOString(),
    duration,
    exit,
  ].join('\t');
}
