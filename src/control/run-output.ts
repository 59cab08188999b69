import type { Control } from './control.ts';
import type { LogChunkView } from './views/log-chunk-view.ts';

export interface RunOutputOptions {
  /**
   * Follow the live stream: each chunk as it is written, ending when the run ends. Without it,
   * the chunks stored so far, page by page.
   */
  readonly follow?: boolean;
  /** Only chunks after this sequence number. */
  readonly after?: number;
  /** Ends the iteration quietly (a request in flight is abandoned). */
  readonly signal?: AbortSignal;
}

/**
 * A run's output as an async iterable of chunks, on any `Control`: the stored chunks, or with
 * `follow` the live stream until the run ends. How the run ended is `getRun`'s (or `followLogs`'s
 * last event); whether the output was cut is `readLogs`'s `truncated`.
 */
export async function* runOutput(
  control: Pick<Control, 'readLogs' | 'followLogs'>,
  id: number,
  options: RunOutputOptions = {},
): AsyncGenerator<LogChunkView> {
  const { signal } = options;
  if (options.follow === true) {
    const following = control.followLogs(id, {
      ...(options.after === undefined ? {} : { after: options.after }),
      ...(signal === undefined ? {} : { signal }),
    });
    for await (const event of following) {
      if (event.kind === 'end') return;
      yield event.chunk;
    }
    return;
  }
  let after = options.after ?? 0;
  while (signal?.aborted !== true) {
    const page = await control.readLogs(id, { after });
    if (page.chunks.length === 0) return;
    for (const chunk of page.chunks) {
      if (isAborted(signal)) return;
      yield chunk;
    }
    after = page.nextAfter;
  }
}

/** Read through a call, so a check after a yield is not narrowed away by the one before it. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
