import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { callApi, reportFailure } from '../api-client.ts';

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
    const answer = await callApi<{ job: { name: string; paused: boolean; nextFireAt: string | null } }>(io, {
      server: options.server,
      method: 'POST',
      path: `/api/jobs/${encodeURIComponent(job)}/${paused ? 'pause' : 'resume'}`,
    });
    const { name, nextFireAt } = answer.body.job;
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
