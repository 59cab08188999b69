/** The line a page or section shows while its first read is on the way ("Loading runs…"). */
export function Loading({ what }: { readonly what?: string }) {
  return <p class="muted">{what === undefined ? 'Loading…' : `Loading ${what}…`}</p>;
}
