import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';

export interface PauseOptions {
  readonly server?: string;
}

/**
 * `cronplane pause JOB` / `cronplane resume JOB`: stops or restarts a job's schedule on the
 * running daemon (through its API, with CRONPLANE_TOKEN of scope admin). Kept in the store.
 */
export async function runPause(
  job: string,
  paused: boolean,
  options: PauseOptions,
  io: CliIo,
): Promise<number> {
  try {
    const { name, nextFireAt } = await withControl(options, io, { fallback: 'daemon' }, (control) =>
      paused ? control.pauseJob(job) : control.resumeJob(job),
    );
    io.out(
      paused
        ? `paused ${name}: it does not fire until "cronplane resume ${name}"`
        : `resumed ${name}${nextFireAt === null ? '' : `: next fire ${nextFireAt}`}`,
    );
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}
