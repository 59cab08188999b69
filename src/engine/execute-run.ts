import type { AnyExecutor, ExecutorOptions } from '../executors/index.ts';
import { createExecutor, executionRequestFor } from '../executors/index.ts';
import type { ExecuteRun } from './worker.ts';

/**
 * Joins the engine to the executors: the run and its job become an execution request
 * (placeholders, timeout, capture limit, target settings), handed to the executor of its kind.
 * Output that passed the capture limit is noted in the run's system output.
 */
export function createExecuteRun(
  options: { readonly executor?: AnyExecutor; readonly executorOptions?: ExecutorOptions } = {},
): ExecuteRun {
  const executor = options.executor ?? createExecutor(options.executorOptions);
  return async ({ run, job, signal, output }) => {
    const result = await executor.execute(
      executionRequestFor(job, run),
      { onOutput: (stream, chunk) => output(stream, chunk) },
      signal,
    );
    if (result.truncated) {
      output(
        'system',
        `output past ${job.log.captureLimitBytes} bytes was dropped (${result.outputBytes} bytes produced)\n`,
        true,
      );
    }
    return result;
  };
}
