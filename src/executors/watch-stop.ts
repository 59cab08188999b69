/** Why work was stopped before it ended by itself. */
export type StopReason = 'timeout' | 'abort';

export interface StopWatch {
  /** Set once the deadline passed or the signal aborted. */
  readonly reason: StopReason | undefined;
  dispose(): void;
}

/**
 * Calls `onStop` once, when `timeoutMs` elapses or `signal` aborts, whichever comes first.
 * Both paths stop the work the same way; only the recorded outcome differs.
 */
export function watchStop(
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  onStop: (reason: StopReason) => void,
): StopWatch {
  let reason: StopReason | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (why: StopReason) => {
    if (reason !== undefined) return;
    reason = why;
    dispose();
    onStop(why);
  };
  const onAbort = () => stop('abort');
  const dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  if (signal?.aborted === true) {
    queueMicrotask(onAbort);
  } else {
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(() => stop('timeout'), Math.max(0, timeoutMs));
  }
  return {
    get reason() {
      return reason;
    },
    dispose,
  };
}

/** The reason an AbortSignal was aborted with, in words. */
export function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return 'the run was cancelled';
}
