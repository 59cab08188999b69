import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { parseParams } from '../parse-params.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';

export interface TriggerOptions {
  readonly server?: string;
  readonly param?: readonly string[];
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly json?: boolean;
}

/**
 * `cronplane trigger JOB [--param k=v] [--dry-run | --no-dry-run] [--force]`: asks the running daemon to run a job now
 * (through its API, with CRONPLANE_TOKEN) and prints the runs it queued.
 */
export async function runTrigger(job: string, options: TriggerOptions, io: CliIo): Promise<number> {
  try {
    const params = parseParams(options.param ?? []);
    const runs = await withControl(options, io, { fallback: 'daemon' }, (control) =>
      control.triggerJob(job, {
        ...(Object.keys(params).length === 0 ? {} : { params }),
        // Neither flag: the job's own default (dry_run:); --dry-run / --no-dry-run say it.
        ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
        // Inside the job's cooldown the daemon refuses (exit 2, the message says until when).
        ...(options.force === true ? { force: true } : {}),
      }),
    );
    for (const run of runs) {
      io.out(
        options.json === true
          ? JSON.stringify(run)
          : `queued run ${run.id} of ${run.job}${run.fanKey === '' ? '' : ` [${run.fanKey}]`}`,
      );
    }
    if (options.json !== true)
      io.err(`cronplane: follow one with: cronplane logs -f ${runs[0]?.id ?? 'RUN'}`);
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}
