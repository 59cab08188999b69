import type { ResolvedJob } from '../config/index.ts';
import type { JsonValue } from '../store/index.ts';

/**
 * A job as the `jobs` table stores it (`spec_json`): its JSON, the two Maps of a resolved job
 * (exit codes and guards) written as objects. Built without a replacer function, which would be
 * called for every value of every job (100,000 jobs made it the costliest step of a first sync).
 */
export function jobSpec(job: ResolvedJob): JsonValue {
  return JSON.parse(
    JSON.stringify({
      ...job,
      exitCodes: Object.fromEntries(job.exitCodes),
      guards: Object.fromEntries(job.guards),
    }),
  ) as JsonValue;
}
