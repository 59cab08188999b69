import type { EventSeverity } from '../types.ts';

/**
 * An event's severity as a label with a mark whose shape and colour both differ: a pink triangle
 * for critical, an orange square for failure, a yellow diamond for warning, a blue ring for info.
 */
export function SeverityBadge({ severity }: { readonly severity: EventSeverity }) {
  return (
    <span class={`status severity-${severity}`}>
      <span class="status-mark" aria-hidden="true" />
      {severity}
    </span>
  );
}

/** Whether an event is still open, as a word (never colour alone). */
export function EventState({ resolvedAt }: { readonly resolvedAt: string | null }) {
  return resolvedAt === null ? (
    <span class="event-state event-open">open</span>
  ) : (
    <span class="event-state event-resolved">resolved</span>
  );
}
