import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { callApi, reportFailure } from '../api-client.ts';
import { parseParams } from '../parse-params.ts';

export interface TriggerOptions {
  readonly server?: string;
  readonly param?: readonly string[];
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

interface QueuedRun {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly status: string;
}

/**
 * `cronplane trigger JOB [--param k=v] [--dry-run]`: asks the running daemon to run a job now
 * (through its API, with CRONPLANE_TOKEN) and prints the runs it queued.
 */
export async function runTrigger(job: string, options: TriggerOptions, io: CliIo): Promise<number> {
  try {
    const params = parseParams(options.param ?? []);
    const answer = await callApi<{ runs: QueuedRun[] }>(io, {
      server: options.server,
      method: 'POST',
      path: `/api/jobs/${encodeURIComponent(job)}/trigger`,
      body: {
        ...(Object.keys(params).length === 0 ? {} : { params }),
        ...(options.dryRun === true ? { dryRun: true } : {}),
      },
    });
    for (const run of answer.body.runs) {
      io.out(
        options.json === true
          ? JSON.stringify(run)
          : `queued run ${run.id} of ${run.job}${run.fanKey === '' ? '' : ` [${run.fanKey}]`}`,
      );
    }
    if (options.json !== true)
      io.err(`cronplane: follow one with: cronplane logs -f ${answer.body.runs[0]?.id ?? 'RUN'}`);
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}
