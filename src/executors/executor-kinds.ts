import type { ExecutorKindDefinition } from './executor-kind.ts';
import { commandExecutorKind } from './kinds/command-executor-kind.ts';
import { httpExecutorKind } from './kinds/http-executor-kind.ts';
import { moduleExecutorKind } from './kinds/module-executor-kind.ts';

/**
 * The built-in executor kinds, in the order the job file's messages name them ("exactly one of
 * run, http or module"). A new kind is one file under `kinds/` and one line here; a test may
 * read a job file with these plus its own.
 */
export const executorKinds: readonly ExecutorKindDefinition[] = [
  commandExecutorKind,
  httpExecutorKind,
  moduleExecutorKind,
];
