import type { ResolvedJob } from '../config/index.ts';
import type { JsonValue } from '../store/index.ts';

/**
 * A job as the `jobs` table stores it (`spec_json`), as JSON text: the job, the two Maps of a
 * resolved job (exit codes and guards) written as objects. Built without a replacer function,
 * which would be called for every value of every job, and handed to the store as text
 * (`JobToSync.specJson`): a first sync of 100,000 jobs spent 3.3 s of CPU turning each spec into
 * JSON, back into a value and into JSON again, where this one serialization takes 0.7 s.
 */
export function jobSpecJson(job: ResolvedJob): string {
  return JSON.stringify({
    ...job,
    exitCodes: Object.fromEntries(job.exitCodes),
    guards: Object.fromEntries(job.guards),
  });
}

/** The stored spec as a value: plain JSON (secrets print as `***`, no Map, nothing undefined). */
export function jobSpec(job: ResolvedJob): JsonValue {
  return JSON.parse(jobSpecJson(job)) as JsonValue;
}
