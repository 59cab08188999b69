import type { ExecutionRequest, ExecutionTarget } from './execution-request.ts';
import type { ExecutionResult } from './execution-result.ts';
import type { Executor } from './executor.ts';
import type { ExecutorKindDefinition, ExecutorOptions, KindExecutor } from './executor-kind.ts';
import { executorKindOrThrow } from './executor-kind-of.ts';
import { executorKinds } from './executor-kinds.ts';
import type { OutputSink } from './output-sink.ts';

export type { ExecutorOptions } from './executor-kind.ts';

/** Which kinds `createExecutor` runs: the built-in `executorKinds` when absent. */
export interface AnyExecutorOptions extends ExecutorOptions {
  readonly kinds?: readonly ExecutorKindDefinition[];
}

/** One executor for every kind of target, each run handed to the executor of its `target.kind`. */
export interface AnyExecutor extends Executor<ExecutionTarget> {
  /** Forgets what the kinds' executors keep between runs (imported modules). */
  release(): void;
}

export function createExecutor(options: AnyExecutorOptions = {}): AnyExecutor {
  const kinds = options.kinds ?? executorKinds;
  const executors = new Map<ExecutorKindDefinition, KindExecutor>(
    kinds.map((kind) => [kind, kind.createExecutor(options)]),
  );
  return {
    execute(request: ExecutionRequest, sink: OutputSink, signal?: AbortSignal): Promise<ExecutionResult> {
      // Every kind of the list has its executor in the map.
      const executor = executors.get(executorKindOrThrow(request.target, kinds)) as KindExecutor;
      return executor.execute(request, sink, signal);
    },
    release: () => {
      for (const executor of executors.values()) executor.release?.();
    },
  };
}
