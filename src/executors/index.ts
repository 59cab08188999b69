export { createExecutor } from './create-executor.ts';
export type { AnyExecutor, AnyExecutorOptions, ExecutorOptions } from './create-executor.ts';
export type { ExecutorKindDefinition, KindExecutor } from './executor-kind.ts';
export { executorKinds } from './executor-kinds.ts';
export { executorKindOrThrow } from './executor-kind-of.ts';
export { commandExecutorKind } from './kinds/command-executor-kind.ts';
export { defaultHttpTimeoutMs, httpExecutorKind } from './kinds/http-executor-kind.ts';
export { moduleExecutorKind } from './kinds/module-executor-kind.ts';
export { createCommandExecutor } from './command-executor.ts';
export type { CommandExecutorOptions } from './command-executor.ts';
export { createHttpExecutor } from './http-executor.ts';
export { bodyContentType } from './body-content-type.ts';
export { describeBodyAssertion } from './body-assertion.ts';
export type { HttpExecutorOptions } from './http-executor.ts';
export { createModuleExecutor, ModuleExecutor } from './module-executor.ts';
export type { ModuleContext, ModuleFunction, ModuleReturn } from './module-executor.ts';
export { executionRequestFor } from './execution-request-for.ts';
export type { RunToExecute, RequestOverrides } from './execution-request-for.ts';
export { defaultKillGraceMs } from './execution-request.ts';
export type {
  CommandLimits,
  CommandSpec,
  CommandTarget,
  HttpTarget,
  ModuleTarget,
  ExecutionRequest,
  ExecutionTarget,
  HttpSpec,
  ModuleSpec,
  SkipCondition,
} from './execution-request.ts';
export { ExecutionOutcome } from './execution-result.ts';
export type { ExecutionResult } from './execution-result.ts';
export type { Executor } from './executor.ts';
export { OutputStream, discardOutput } from './output-sink.ts';
export type { OutputSink } from './output-sink.ts';
export { BaseEnvironment, defaultPath } from './command-environment.ts';
export { detectLimitSupport } from './limit-support.ts';
export type { CgroupSupport, LimitSupport } from './limit-support.ts';
export { substitutePlaceholders, quoteForShell } from '../placeholders/index.ts';
