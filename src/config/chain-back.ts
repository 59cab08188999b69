/**
 * The jobs from `start` back along `after:` to `target`, in order (a cycle once `target` runs
 * after `start`); undefined when the chain never reaches it.
 */
export function chainBack(
  start: string,
  target: string,
  afterOf: (name: string) => readonly string[] | undefined,
): string[] | undefined {
  const seen = new Set<string>();
  const walk = (name: string, trail: string[]): string[] | undefined => {
    if (name === target) return trail;
    if (seen.has(name)) return undefined;
    seen.add(name);
    for (const upstream of afterOf(name) ?? []) {
      const found = walk(upstream, [...trail, name]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(start, []);
}
