import type { ExecutorKindSchema, JobTarget, TargetContext } from './job-file-kinds.ts';
import type { JobEntry } from './job-file-schema.ts';
import type { MaybeSecret } from './secret.ts';

/** A job's target, and the values it sends as request headers (for the parameter rules). */
export interface ResolvedTarget {
  readonly target: JobTarget;
  readonly headers: readonly MaybeSecret[];
  /** The kind that resolved it. */
  readonly kind: ExecutorKindSchema;
}

/**
 * What a job runs, resolved by the executor kind it names (`run`, `http`, `module`, ...);
 * undefined when it names none (the schema has reported that).
 */
export function resolveTarget(
  entry: JobEntry,
  kinds: readonly ExecutorKindSchema[],
  context: TargetContext,
): ResolvedTarget | undefined {
  const kind = kinds.find((candidate) => entry[candidate.key] !== undefined);
  if (kind === undefined) return undefined;
  // The job was validated with this kind's fields: the entry holds them as they gave them.
  const target = kind.resolve(entry, context);
  return { target, headers: kind.headers(target), kind };
}
