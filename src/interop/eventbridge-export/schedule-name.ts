/** EventBridge Scheduler allows 64 characters in a schedule's name. */
export const maxScheduleName = 64;

/**
 * A name a schedule takes: `[0-9a-zA-Z-_.]`, at most 64 characters; every other character
 * becomes `-`. `taken` holds the names given so far: a name already given gets `-2`, `-3`...
 */
export function scheduleName(name: string, taken: Set<string>): string {
  const base = name.replace(/[^0-9a-zA-Z_.-]+/g, '-').slice(0, maxScheduleName) || 'job';
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = `-${n}`;
    candidate = `${base.slice(0, maxScheduleName - suffix.length)}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}
