import { useLocation } from 'preact-iso';
import { addressWith } from './address-with.ts';

/**
 * A walk through the pages of a list by the API's cursor, kept in the address under one name:
 * the cursors of the pages walked to from the newest, dot-separated (`?runs=120.70`), so Newer
 * and the browser's Back return the way they came.
 */
export interface CursorTrail {
  /** The cursor of the page shown; undefined on the newest page. */
  readonly cursor: number | undefined;
  /** How many pages past the newest the page shown is: 0 on the newest. */
  readonly depth: number;
  /** Goes one page back towards the newest; undefined on the newest page. */
  readonly newer: (() => void) | undefined;
  /** Goes to the page the API's `nextCursor` names; undefined when there is no older page. */
  readonly olderAt: (nextCursor: number | null | undefined) => (() => void) | undefined;
}

export function useCursorTrail(name: string): CursorTrail {
  const location = useLocation();
  const trail = (location.query[name] ?? '')
    .split('.')
    .filter((part) => /^[0-9]+$/.test(part))
    .map(Number);
  const go = (next: readonly number[]) =>
    location.route(addressWith(location.path, location.query, { [name]: next.join('.') }));
  return {
    cursor: trail.at(-1),
    depth: trail.length,
    newer: trail.length === 0 ? undefined : () => go(trail.slice(0, -1)),
    olderAt: (nextCursor) =>
      nextCursor === null || nextCursor === undefined ? undefined : () => go([...trail, nextCursor]),
  };
}
