import type { ExecutorKindSchema, JobTarget, ResolvedJob } from '../config/index.ts';
import type { CommandExecutorOptions } from './command-executor.ts';
import type { ExecutionTarget } from './execution-request.ts';
import type { Executor } from './executor.ts';
import type { HttpExecutorOptions } from './http-executor.ts';

/** Options for the executors of the built-in kinds; a kind reads its own part. */
export interface ExecutorOptions {
  readonly command?: CommandExecutorOptions;
  readonly http?: HttpExecutorOptions;
}

/** The executor of one kind; `release` forgets what it keeps between runs (imported modules). */
export interface KindExecutor<Spec extends ExecutionTarget = ExecutionTarget> extends Executor<Spec> {
  release?(): void;
}

/**
 * Everything cronplane knows of one kind of executor, in one file under `kinds/`: its keys in a
 * job (`run` and `shell`, `http`, `module`), how they resolve into a target and which of its
 * values are secret (the job file's side, `ExecutorKindSchema`), the execution target a run of
 * it is handed, its executor, and how it is described safely (`validate`, the API). The job-file
 * schema, masking, the engine's executor and `describeJob` all read a list of these
 * (`executorKinds`).
 */
export interface ExecutorKindDefinition<
  Fields = Record<string, unknown>,
  Target extends JobTarget = JobTarget,
  Spec extends ExecutionTarget = ExecutionTarget,
> extends ExecutorKindSchema<Fields, Target> {
  /** What a run of `job` is handed: its target with the job settings the kind uses. */
  specFor(target: Target, job: ResolvedJob): Spec;
  /** Makes the executor for runs of this kind; making it does no work. */
  createExecutor(options: ExecutorOptions): KindExecutor<Spec>;
  /** What the job runs, in a few words for `validate`: `command ./backup.sh`, `http POST`. */
  describe(target: Target): string;
  /** The target as the API shows it, every secret as `***`. */
  view(target: Target): Record<string, unknown>;
}
