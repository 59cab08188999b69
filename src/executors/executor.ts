import type { ExecutionRequest, ExecutionTarget } from './execution-request.ts';
import type { ExecutionResult } from './execution-result.ts';
import type { OutputSink } from './output-sink.ts';

/**
 * Carries out runs of one kind of target. `execute` never throws for a failure of the work
 * itself: every way a run can end is an `ExecutionResult`. Aborting `signal` (cancel, replace,
 * shutdown) stops the work the same way a timeout does, with the outcome `cancelled`.
 */
export interface Executor<Target extends ExecutionTarget = ExecutionTarget> {
  execute(
    request: ExecutionRequest<Target>,
    sink: OutputSink,
    signal?: AbortSignal,
  ): Promise<ExecutionResult>;
}
