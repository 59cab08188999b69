import type { MaskStream, SecretMask } from '../config/index.ts';
import type { AnyExecutor, ExecutorKindDefinition, ExecutorOptions } from '../executors/index.ts';
import { createExecutor, executionRequestFor } from '../executors/index.ts';
import type { LogStream } from '../store/index.ts';
import type { ExecuteRun } from './run-result.ts';

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
    const streams = new Map<LogStream, MaskStream>();
    const masked = (stream: LogStream, chunk: string): string => {
      if (mask === undefined || mask.empty) return chunk;
      let masking = streams.get(stream);
      if (masking === undefined) streams.set(stream, (masking = mask.stream()));
      return masking.push(chunk);
    };
    const result = await executor.execute(
      executionRequestFor(job, run, kinds === undefined ? {} : { kinds }),
      {
        onOutput: (stream, chunk) => {
          const text = masked(stream, chunk);
          if (text !== '') output(stream, text);
        },
      },
      signal,
    );
    for (const [stream, masking] of streams) {
      const rest = masking.end();
      if (rest !== '') output(stream, rest);
    }
    // The executor already said in the system output what it dropped; mark the run truncated.
    if (result.truncated) output('system', '', true);
    if (mask === undefined || typeof result.error !== 'string') return result;
    return { ...result, error: mask.redact(result.error) };
  };
}
