import type { MonitorView } from '../types.ts';

/**
 * A monitor's state as a label with a mark: up (a green disc), down (an orange square), new (an
 * outlined grey square, no ping yet) and paused (two grey bars, whatever the stored status).
 */
export function MonitorBadge({ monitor }: { readonly monitor: Pick<MonitorView, 'status' | 'paused'> }) {
  const shown = monitor.paused ? 'paused' : monitor.status;
  return (
    <span class={`status monitor-${shown}`}>
      <span class="status-mark" aria-hidden="true" />
      {shown}
      {monitor.paused && monitor.status !== 'new' && <span class="muted"> (was {monitor.status})</span>}
    </span>
  );
}
