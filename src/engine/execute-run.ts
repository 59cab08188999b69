import type { ResolvedJob } from '../config/index.ts';
import type { ExecutionRequest, ExecutionTarget, Executor } from '../executors/index.ts';
import { commandExecutor, httpExecutor, moduleExecutor } from '../executors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RunRecord } from '../store/index.ts';
import type { ExecuteRun } from './worker.ts';

/** The executor for each kind of job target. */
export interface ExecutorSet {
  readonly command: Executor;
  readonly http: Executor;
  readonly module: Executor;
}

export const defaultExecutors: ExecutorSet = {
  command: commandExecutor as Executor,
  http: httpExecutor as Executor,
  module: moduleExecutor as Executor,
};

/**
 * Joins the engine to the executors: builds the execution request from the run and its job
 * (placeholders, timeout, capture limit, target settings) and hands it to the right executor.
 */
export function createExecuteRun(options: {
  readonly logger: Logger;
  readonly executors?: ExecutorSet;
}): ExecuteRun {
  const executors = options.executors ?? defaultExecutors;
  return async ({ run, job, signal, output }) => {
    const request = buildRequest(run, job);
    const result = await executors[job.target.kind].execute(
      request,
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

export function buildRequest(run: RunRecord, job: ResolvedJob): ExecutionRequest {
  return {
    runId: String(run.id),
    job: job.name,
    attempt: run.attempt,
    params: {
      ...run.params,
      job: job.name,
      run_id: String(run.id),
      attempt: String(run.attempt),
      scheduled_at: new Date(run.scheduledAt).toISOString(),
      fan_key: run.fanKey,
    },
    payload: run.payload ?? undefined,
    dryRun: run.dryRun,
    timeoutMs: job.timeoutMs,
    captureLimitBytes: job.log.captureLimitBytes,
    target: targetOf(job),
  };
}

function targetOf(job: ResolvedJob): ExecutionTarget {
  const { target } = job;
  switch (target.kind) {
    case 'command':
      return {
        ...target,
        cwd: job.cwd,
        user: job.user,
        group: job.group,
        env: job.env,
        envFiles: job.envFiles,
        limits: job.limits,
        exitCodes: job.exitCodes,
        condition: job.condition,
        metricsFromStdout: job.metrics.from === 'stdout_json',
      };
    case 'http':
    case 'module':
      return target;
  }
}
