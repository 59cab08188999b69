import type { MaskStream, SecretMask } from '../config/index.ts';
import type { AnyExecutor, ExecutorKindDefinition, ExecutorOptions } from '../executors/index.ts';
import { createExecutor, executionRequestFor } from '../executors/index.ts';
import type { LogStream } from '../store/index.ts';
import type { ExecuteInput, ExecuteRun } from './run-result.ts';

export interface ExecuteRunOptions {
  readonly executor?: AnyExecutor;
  readonly executorOptions?: ExecutorOptions;
  /** The kinds a job's target may be: the built-in `executorKinds` when absent. */
  readonly kinds?: readonly ExecutorKindDefinition[];
  /**
   * The job file's secrets (the daemon's mask, read per run so a reload's apply): masked in
   * everything a run leaves (output, its error), on top of what the executor masks of the job's
   * own secrets, so no other job's or channel's secret is stored either.
   */
  readonly mask?: () => SecretMask;
}

/**
 * Joins the engine to the executors: the run and its job become an execution request
 * (placeholders, timeout, capture limit, target settings), handed to the executor of its kind.
 */
export function createExecuteRun(options: ExecuteRunOptions = {}): ExecuteRun {
  const kinds = options.kinds;
  const executor =
    options.executor ??
    createExecutor(kinds === undefined ? options.executorOptions : { ...options.executorOptions, kinds });
  return async ({ run, job, signal, output }) => {
    const mask = options.mask?.();
    const request = executionRequestFor(job, run, kinds === undefined ? {} : { kinds });
    // Nothing to mask (the common case): the output goes straight through, with no masking state.
    if (mask === undefined || mask.empty) {
      const result = await executor.execute(
        request,
        { onOutput: (stream, chunk) => passOn(output, stream, chunk) },
        signal,
      );
      if (result.truncated) output('system', '', true);
      return result;
    }
    const streams = new Map<LogStream, MaskStream>();
    const result = await executor.execute(
      request,
      {
        onOutput: (stream, chunk) => {
          let masking = streams.get(stream);
          if (masking === undefined) streams.set(stream, (masking = mask.stream()));
          passOn(output, stream, masking.push(chunk));
        },
      },
      signal,
    );
    for (const [stream, masking] of streams) passOn(output, stream, masking.end());
    // The executor already said in the system output what it dropped; mark the run truncated.
    if (result.truncated) output('system', '', true);
    if (typeof result.error !== 'string') return result;
    return { ...result, error: mask.redact(result.error) };
  };
}

function passOn(output: ExecuteInput['output'], stream: LogStream, text: string): void {
  if (text !== '') output(stream, text);
}
