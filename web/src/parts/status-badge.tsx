/**
 * A run's status as a label with a mark whose shape and colour both differ by status (colours
 * from the Okabe–Ito palette, which people with the common colour-vision deficiencies tell apart).
 */
export function StatusBadge({ status }: { readonly status: string }) {
  return (
    <span class={`status status-${status}`}>
      <span class="status-mark" aria-hidden="true" />
      {status.replace('_', ' ')}
    </span>
  );
}
