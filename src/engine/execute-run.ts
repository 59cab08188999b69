import type { AnyExecutor, ExecutorOptions } from '../executors/index.ts';
import { createExecutor, executionRequestFor } from '../executors/index.ts';
import type { ExecuteRun } from './worker.ts';

/**
 * Joins the engine to the executors: the run and its job become an execution request
 * (placeholders, timeout, capture limit, target settings), handed to the executor of its kind.
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
    // The executor already said in the system output what it dropped; mark the run truncated.
    if (result.truncated) output('system', '', true);
    return result;
  };
}
