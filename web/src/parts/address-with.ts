/**
 * The address `path` with the query `query` changed by `changes`: a value sets its name, `null`
 * or an empty string leaves the name out. The pages keep their filters and page cursors in the
 * address this way, so a link, a reload or the back button shows the same view.
 */
export function addressWith(
  path: string,
  query: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string | null>>,
): string {
  const next = new URLSearchParams(query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(name);
    else next.set(name, value);
  }
  const text = next.toString();
  return text === '' ? path : `${path}?${text}`;
}
