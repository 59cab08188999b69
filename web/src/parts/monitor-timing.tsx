import type { MonitorView } from '../types.ts';

/** When a monitor expects its pings: its schedules (with their zone) or its period, and the grace. */
export function MonitorTiming({ monitor }: { readonly monitor: MonitorView }) {
  return (
    <span class="monitor-timing">
      {monitor.period !== null ? (
        <span>every {monitor.period}</span>
      ) : (
        monitor.schedules.map((schedule) => (
          <code key={schedule} class="schedule">
            {schedule}
          </code>
        ))
      )}
      {monitor.period === null && monitor.timezone !== 'UTC' && (
        <span class="muted"> {monitor.timezone}</span>
      )}
      {monitor.grace !== null && <span class="muted"> · grace {monitor.grace}</span>}
    </span>
  );
}
