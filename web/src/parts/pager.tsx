import type { CursorTrail } from './cursor-trail.ts';

/**
 * "← Newer" and "Older →" through a list read a page at a time by the API's cursor, and where the
 * page shown is; nothing while the list fits one page. `nextCursor` is the API's answer for the
 * page shown (undefined while it is read).
 */
export function Pager({
  trail,
  nextCursor,
  label,
  noun,
}: {
  readonly trail: CursorTrail;
  readonly nextCursor: number | null | undefined;
  /** The navigation's accessible name: "pages of runs". */
  readonly label: string;
  /** What the list holds, for "newest runs". */
  readonly noun: string;
}) {
  const older = trail.olderAt(nextCursor);
  if (trail.newer === undefined && older === undefined) return null;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={trail.newer === undefined} onClick={trail.newer}>
        ← Newer
      </button>
      <span class="muted">{trail.depth === 0 ? `newest ${noun}` : `page ${trail.depth + 1}`}</span>
      <button type="button" disabled={older === undefined} onClick={older}>
        Older →
      </button>
    </nav>
  );
}
