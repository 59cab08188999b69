import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalRunStatus } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import type { LogEvent } from './control.ts';
import { logChunkView } from './views/log-chunk-view.ts';

export interface FollowStoredLogsOptions {
  readonly after: number;
  readonly pollMs: number;
  readonly redact: (text: string) => string;
  readonly signal?: AbortSignal | undefined;
}

const pageSize = 1000;

/**
 * A run's output read from the store as it is written, then its end. The run's status is read
 * before each page, so once it has ended a short page means every chunk was read.
 */
export async function* followStoredLogs(
  store: Store,
  runId: number,
  options: FollowStoredLogsOptions,
): AsyncGenerator<LogEvent> {
  let after = options.after;
  while (options.signal?.aborted !== true) {
    const run = await store.getRunOrThrow(runId);
    const chunks = await store.readLogs(runId, { afterSeq: after, limit: pageSize });
    for (const chunk of chunks) yield { kind: 'log', chunk: logChunkView(chunk, options.redact) };
    after = chunks.at(-1)?.seq ?? after;
    if (chunks.length === pageSize) continue;
    if (isTerminalRunStatus(run.status)) {
      yield {
        kind: 'end',
        status: run.status,
        exitCode: run.exitCode,
        error: run.error === null ? null : options.redact(run.error),
      };
      return;
    }
    try {
      await sleep(options.pollMs, undefined, options.signal === undefined ? {} : { signal: options.signal });
    } catch {
      return;
    }
  }
}
