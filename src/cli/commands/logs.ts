import { CronplaneError } from '../../errors/index.ts';
import { runOutput } from '../../control/index.ts';
import type { Control, ListedRunView, LogChunkView } from '../../control/index.ts';
import { RunStatus } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { parseRunId } from '../options/run-id.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface LogsOptions extends ControlCommandOptions {
  readonly follow?: boolean;
  /** The job whose latest run to show instead of a run id. */
  readonly job?: string;
  /** With `job`: its runs of this fan-out key only. */
  readonly key?: string;
  /** How often -f looks for new output on the store, in ms. */
  readonly pollMs?: number;
}

/** Every status but `held`: a queue item still waiting has no output and is not the job's latest run. */
const startedOrDue = Object.keys(RunStatus).filter((status): status is RunStatus => status !== 'held');

/**
 * `cronplane logs RUN [-f]`: a run's captured output; -f follows it until the run ends.
 * `cronplane logs --job JOB [--key KEY] [-f]`: the same for the job's running run (the newest one
 * when several run), else its newest run that is not a held queue item; which run it is goes to
 * standard error first.
 */
export async function runLogs(
  runArgument: string | undefined,
  options: LogsOptions,
  io: CliIo,
): Promise<number> {
  try {
    if (runArgument !== undefined && options.job !== undefined) {
      throw new CronplaneError('cli.logs', 'give a run id or --job JOB, not both');
    }
    if (options.key !== undefined && options.job === undefined) {
      throw new CronplaneError('cli.logs', '--key picks among the runs of --job JOB; give --job too');
    }
    if (runArgument === undefined && options.job === undefined) {
      throw new CronplaneError('cli.logs', 'give a run id (see cronplane runs) or --job JOB');
    }
    const given =
      runArgument === undefined
        ? undefined
        : parseRunId(runArgument, `; for a job's latest run: cronplane logs --job ${runArgument}`);
    const choice = { fallback: 'store', logPollMs: options.pollMs ?? 250 } as const;
    return await withControl(options, io, choice, async (control, shown) => {
      let id = given;
      if (id === undefined) {
        const run = await latestRunOf(control, options.job as string, options.key);
        shown.err(
          `[cronplane] run ${run.id} of ${run.job}${run.fanKey === '' ? '' : ` (${run.fanKey})`}: ${run.status}, scheduled ${run.scheduledAt}`,
        );
        id = run.id;
      }
      await print(control, id, options.follow === true, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/** The job's newest running run, else its newest run that is not held; refused when it has none. */
async function latestRunOf(control: Control, job: string, key: string | undefined): Promise<ListedRunView> {
  const of = { job, ...(key === undefined ? {} : { key }), limit: 1 };
  const [running] = (await control.listRuns({ ...of, status: ['running'] })).runs;
  if (running !== undefined) return running;
  const [latest] = (await control.listRuns({ ...of, status: startedOrDue })).runs;
  if (latest !== undefined) return latest;
  // An unknown job is refused by the operation itself (on the store, by the job file).
  await control.getJob(job);
  const ofKey = key === undefined ? '' : ` of key "${key}"`;
  throw new CronplaneError('cli.no-runs', `job "${job}" has no runs${ofKey} yet`);
}

/**
 * The stored chunks (or with `follow` each chunk as it comes until the run ends), then a note
 * when the output was cut.
 */
async function print(control: Control, id: number, follow: boolean, io: CliIo): Promise<void> {
  let after = 0;
  for await (const chunk of runOutput(control, id, { follow })) {
    printChunk(chunk, io);
    after = chunk.seq;
  }
  if ((await control.readLogs(id, { after, limit: 1 })).truncated) {
    io.err(`[cronplane] output was cut at the job's capture limit`);
  }
}

/** stdout to standard output; stderr and cronplane's own lines to standard error. */
function printChunk(chunk: LogChunkView, io: CliIo): void {
  const text = chunk.text.endsWith('\n') ? chunk.text.slice(0, -1) : chunk.text;
  if (chunk.stream === 'stderr') io.err(text);
  else if (chunk.stream === 'system') io.err(`[cronplane] ${text}`);
  else io.out(text);
}
