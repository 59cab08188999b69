/** The event kind of a guard: the name the user gave it, namespaced (`guard:refusal_spike`). */
export function guardEventKind(guard: string): string {
  return `guard:${guard}`;
}

/**
 * One incident per job and guard (`guard:eval-nightly:refusal_spike`); a `per_key` guard has one
 * per fan-out key too (`guard:eval-nightly:refusal_spike:tenant_a`), so tenants open, cool down
 * and resolve apart. A run with no fan-out key ('') shares the job's key.
 */
export function guardDedupKey(job: string, guard: string, fanKey?: string): string {
  const base = `guard:${job}:${guard}`;
  return fanKey === undefined || fanKey === '' ? base : `${base}:${fanKey}`;
}
