import type { ResolvedJob } from '../config/index.ts';
import { resolvedJobJson } from '../config/index.ts';
import type { JsonValue } from '../store/index.ts';

/**
 * A job as the `jobs` table stores it (`spec_json`), as JSON text: the JSON its `configHash` is
 * taken over (`resolvedJobJson`: the settings that differ from `unsetJobSettings`, each schedule
 * as its text and syntax, the Maps as objects).
 * Handed to the store as text (`JobToSync.specJson`), so it is serialized once per job written.
 */
export function jobSpecJson(job: ResolvedJob): string {
  return resolvedJobJson(job);
}

/** The stored spec as a value: plain JSON (secrets print as `***`, no Map, nothing undefined). */
export function jobSpec(job: ResolvedJob): JsonValue {
  return JSON.parse(jobSpecJson(job)) as JsonValue;
}
