import type { Control, RunView } from '../../control/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { parseRunId } from '../options/run-id.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface RunChangeOptions extends ControlCommandOptions {
  readonly json?: boolean;
}

interface RunChangeKind {
  apply(control: Control, id: number): Promise<RunView>;
  /** What happened to `asked`, given the run it answered. */
  said(run: RunView, asked: number): string;
}

/** What `retry` and `cancel` do to a run, and how they say it. */
export const RunChange = {
  retry: {
    apply: (control, id) => control.retryRun(id),
    said: (run, asked) =>
      `queued run ${run.id}, attempt ${run.attempt} of ${run.job}${run.fanKey === '' ? '' : ` (${run.fanKey})`}, retrying run ${asked}`,
  },
  cancel: {
    apply: (control, id) => control.cancelRun(id),
    said: (run) =>
      `cancelled run ${run.id} of ${run.job}${run.fanKey === '' ? '' : ` (${run.fanKey})`}: ${run.status}`,
  },
} as const satisfies Record<string, RunChangeKind>;
export type RunChange = keyof typeof RunChange;

/**
 * `cronplane retry RUN` / `cronplane cancel RUN`: through a daemon's API (`--server`, else
 * CRONPLANE_SERVER unless `--store` is given), else on the store as `cli` (audited). A run that
 * cannot be retried or cancelled is refused naming its status: exit 2, nothing changed.
 */
export async function runRunChange(
  change: RunChange,
  runArgument: string,
  options: RunChangeOptions,
  io: CliIo,
): Promise<number> {
  try {
    const id = parseRunId(runArgument);
    return await withControl(options, io, { fallback: 'store' }, async (control, shown) => {
      const run = await RunChange[change].apply(control, id);
      shown.out(options.json === true ? JSON.stringify(run) : RunChange[change].said(run, id));
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}
