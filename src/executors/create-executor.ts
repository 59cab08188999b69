import { createCommandExecutor } from './command-executor.ts';
import type { CommandExecutorOptions } from './command-executor.ts';
import type {
  CommandSpec,
  ExecutionRequest,
  ExecutionTarget,
  HttpSpec,
  ModuleSpec,
} from './execution-request.ts';
import type { ExecutionResult } from './execution-result.ts';
import type { Executor } from './executor.ts';
import { createHttpExecutor } from './http-executor.ts';
import type { HttpExecutorOptions } from './http-executor.ts';
import { createModuleExecutor } from './module-executor.ts';
import type { OutputSink } from './output-sink.ts';

export interface ExecutorOptions {
  readonly command?: CommandExecutorOptions;
  readonly http?: HttpExecutorOptions;
}

/** One executor for every kind of target, each run handed to the executor of its `target.kind`. */
export interface AnyExecutor extends Executor<ExecutionTarget> {
  /** Forgets imported modules. */
  release(): void;
}

export function createExecutor(options: ExecutorOptions = {}): AnyExecutor {
  const command = createCommandExecutor(options.command);
  const http = createHttpExecutor(options.http);
  const module = createModuleExecutor();
  return {
    execute(request: ExecutionRequest, sink: OutputSink, signal?: AbortSignal): Promise<ExecutionResult> {
      const target = request.target;
      switch (target.kind) {
        case 'command':
          return command.execute(request as ExecutionRequest<CommandSpec>, sink, signal);
        case 'http':
          return http.execute(request as ExecutionRequest<HttpSpec>, sink, signal);
        case 'module':
          return module.execute(request as ExecutionRequest<ModuleSpec>, sink, signal);
        default: {
          const unknown: never = target;
          throw new Error(`unknown target kind ${JSON.stringify(unknown)}`);
        }
      }
    },
    release: () => module.release(),
  };
}
