import type { JobTarget } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { ExecutorKindDefinition } from './executor-kind.ts';

/** The kind among `kinds` whose targets are `target`'s; throws when none is (a kind not registered). */
export function executorKindOrThrow(
  target: JobTarget,
  kinds: readonly ExecutorKindDefinition[],
): ExecutorKindDefinition {
  const kind = kinds.find((candidate) => candidate.kind === target.kind);
  if (kind === undefined) {
    throw new CronplaneError(
      'executor.unknown-kind',
      `no executor for a target of kind ${JSON.stringify(target.kind)}; known kinds: ${kinds.map((candidate) => candidate.kind).join(', ')}`,
    );
  }
  return kind;
}
