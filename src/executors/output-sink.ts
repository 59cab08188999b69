/** Where output goes: the job's two streams, and lines cronplane itself writes about the run. */
export const OutputStream = {
  stdout: 'stdout',
  stderr: 'stderr',
  system: 'system',
} as const;
export type OutputStream = keyof typeof OutputStream;

/**
 * Receives a run's output as it arrives, already capped at the run's capture limit. Chunks are
 * whole UTF-8 characters, not whole lines. A sink that throws loses that chunk, not the run.
 */
export interface OutputSink {
  onOutput(stream: OutputStream, chunk: string): void;
}

/** A sink that keeps nothing. */
export const discardOutput: OutputSink = { onOutput: () => undefined };
