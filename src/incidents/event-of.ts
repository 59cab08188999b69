import type { Store } from '../store/index.ts';
import type { Incident } from './incident.ts';

/**
 * The event row of an incident. Its details keep the incident's facts and, under `alert`, what
 * a reminder or a resolve needs later (title, summary, notify key, monitor or job).
 */
export function eventOf(incident: Incident, at: number): Parameters<Store['recordEvent']>[0] {
  return {
    kind: incident.kind,
    dedupKey: incident.dedupKey,
    severity: incident.severity,
    at,
    job: incident.job ?? null,
    runId: incident.runId ?? null,
    details: {
      ...incident.details,
      alert: {
        title: incident.title,
        summary: incident.summary,
        notifyKey: incident.notifyKey,
        monitor: incident.monitor === true,
      },
    },
  };
}
