/**
 * The systems an `--only` list selects: those whose name contains any of the comma-separated,
 * case-insensitive parts; all of them for an empty list. Throws when the list matches none.
 */
export function selectSystems<S extends { readonly name: string }>(systems: readonly S[], only: string): S[] {
  const parts = only
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  if (parts.length === 0) return [...systems];
  const selected = systems.filter((system) => parts.some((part) => system.name.toLowerCase().includes(part)));
  if (selected.length === 0) {
    throw new Error(`--only ${only} matches none of: ${systems.map((system) => system.name).join('; ')}`);
  }
  return selected;
}
