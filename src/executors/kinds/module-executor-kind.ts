import path from 'node:path';
import { z } from 'zod';
import type { ModuleSpec, ModuleTarget } from '../execution-request.ts';
import type { ExecutorKindDefinition } from '../executor-kind.ts';
import { createModuleExecutor } from '../module-executor.ts';

const moduleSchema = z.strictObject({
  /** Path to a JavaScript or TypeScript module, relative to the job file. */
  path: z.string().min(1),
  /** The exported async function to call; `default` when absent. */
  export: z.string().optional(),
});

const moduleFields = z.strictObject({ module: moduleSchema });

type ModuleFields = z.output<typeof moduleFields>;

/** `module:`: an exported function of a JavaScript or TypeScript module, called in this process. */
export const moduleExecutorKind: ExecutorKindDefinition<ModuleFields, ModuleTarget, ModuleSpec> = {
  key: 'module',
  noun: 'a function',
  kind: 'module',
  fields: moduleFields,
  resolve: ({ module }, { baseDir }) => ({
    kind: 'module',
    path: path.resolve(baseDir, module.path),
    exportName: module.export ?? 'default',
  }),
  secrets: () => [],
  headers: () => [],
  // Passed through unchanged, so the executor finds its cached function by the target's identity.
  specFor: (target) => target,
  createExecutor: () => createModuleExecutor(),
  describe: (target) => `module ${target.exportName}`,
  view: (target) => ({ kind: 'module', path: target.path, export: target.exportName }),
};
