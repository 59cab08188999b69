import { findConfigFile, readConfig } from '../../config/index.ts';
import type { ResolvedConfig } from '../../config/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import { isRunStatus, openStore } from '../../store/index.ts';
import type { RunRecord, RunStatus, Store } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../api-client.ts';
import { resolveStoreUrl } from '../store-url.ts';
import { listRunsOverApi } from './runs-over-api.ts';

export interface StoreCommandOptions {
  readonly config?: string;
  readonly store?: string;
}

/**
 * The job file for a command that can do without one: the file `--config` names (its problems
 * are errors), else the one found nearby (undefined when there is none or it cannot be read).
 */
export function readCommandConfig(options: StoreCommandOptions, io: CliIo): ResolvedConfig | undefined {
  try {
    return readConfig(findConfigFile({ flag: options.config, env: io.env, cwd: io.cwd }), { env: io.env });
  } catch (thrown) {
    if (options.config !== undefined) throw thrown;
    return undefined;
  }
}

/**
 * Opens the store named by --store, CRONPLANE_STORE, the job file (when there is one), or the
 * default. A command that has read the job file already passes it as `loaded`, so it is not read
 * twice.
 */
export async function openCommandStore(
  options: StoreCommandOptions,
  io: CliIo,
  loaded?: { readonly config: ResolvedConfig | undefined },
): Promise<Store> {
  let fromFile: string | undefined;
  if (options.store === undefined && io.env['CRONPLANE_STORE'] === undefined) {
    fromFile = (loaded === undefined ? readCommandConfig(options, io) : loaded.config)?.store;
  }
  return openStore(resolveStoreUrl({ flag: options.store, env: io.env, fromFile, cwd: io.cwd }));
}

export interface RunsOptions extends StoreCommandOptions {
  readonly status?: string;
  readonly limit: number;
  readonly json?: boolean;
  /** Ask this daemon's API instead of the store (also CRONPLANE_SERVER). */
  readonly server?: string;
}

/** `runs` and `logs` use a daemon's API when --server (or, without --store, CRONPLANE_SERVER) names one. */
export function apiServerOf(
  options: { readonly server?: string; readonly store?: string },
  io: CliIo,
): string | undefined {
  const server = options.server ?? (options.store === undefined ? io.env['CRONPLANE_SERVER'] : undefined);
  return server === undefined || server === '' ? undefined : server;
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
    const store = await openCommandStore(options, io);
    try {
      const page = await store.listRuns({
        ...(job === undefined ? {} : { job }),
        ...(statuses.length === 0 ? {} : { status: statuses }),
        limit: options.limit,
      });
      if (options.json === true) {
        for (const run of page.runs) io.out(JSON.stringify(run));
        return ExitCode.ok;
      }
      if (page.runs.length === 0) {
        io.out('no runs recorded');
        return ExitCode.ok;
      }
      io.out(
        ['ID', 'JOB', 'KEY', 'TRIGGER', 'ATTEMPT', 'STATUS', 'SCHEDULED (UTC)', 'DURATION', 'EXIT'].join(
          '\t',
        ),
      );
      for (const run of page.runs) io.out(formatRunLine(run));
      return ExitCode.ok;
    } finally {
      await store.release();
    }
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
