import { setTimeout as sleep } from 'node:timers/promises';
import { CronplaneError } from '../../errors/index.ts';
import { isTerminalRunStatus } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../api-client.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { apiServerOf } from '../api-server-of.ts';
import { withLocalStore } from '../local-store.ts';
import { readLogsOverApi } from './logs-over-api.ts';

export interface LogsOptions extends StoreCommandOptions {
  readonly follow?: boolean;
  /** Ask this daemon's API instead of the store (also CRONPLANE_SERVER). */
  readonly server?: string;
  /** How often -f looks for new output, in ms. */
  readonly pollMs?: number;
}

/** `cronplane logs RUN [-f]`: a run's captured output; -f follows it until the run ends. */
export async function runLogs(runId: string, options: LogsOptions, io: CliIo): Promise<number> {
  try {
    const id = Number(runId);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new CronplaneError('cli.run-id', `${JSON.stringify(runId)} is not a run id (a whole number)`);
    }
    const server = apiServerOf(options, io);
    if (server !== undefined) {
      await readLogsOverApi(io, server, id, options.follow === true);
      return ExitCode.ok;
    }
    return await withLocalStore(options, io, async ({ store, io: shown }) => {
      let run = await store.getRunOrThrow(id);
      let afterSeq = 0;
      for (;;) {
        const chunks = await store.readLogs(id, { afterSeq, limit: 1000 });
        for (const chunk of chunks) {
          const text = chunk.chunk.endsWith('\n') ? chunk.chunk.slice(0, -1) : chunk.chunk;
          if (chunk.stream === 'stderr') shown.err(text);
          else if (chunk.stream === 'system') shown.err(`[cronplane] ${text}`);
          else shown.out(text);
          afterSeq = chunk.seq;
        }
        if (chunks.length > 0) continue;
        if (options.follow !== true || isTerminalRunStatus(run.status)) break;
        await sleep(options.pollMs ?? 250);
        run = await store.getRunOrThrow(id);
      }
      if (run.logTruncated) shown.err(`[cronplane] output was cut at the job's capture limit`);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}
