import type { Clock } from '../engine/clock.ts';
import type { Store } from '../store/index.ts';
import type { Incident, RaiseOptions, Recovery } from './incident.ts';

/**
 * Where code that notices trouble hands it: the scheduler (missed fires), the engine (lost runs),
 * the stuck-run watch. The daemon passes its `Alerter`, which records and notifies; without one
 * (`cronplane run`, engine tests) `recordingSink` only records the event.
 */
export interface IncidentSink {
  /** With `notify: false` the event is recorded (and counted) but nobody is told. */
  raise(incident: Incident, options?: RaiseOptions): Promise<void>;
  resolve(recovery: Recovery): Promise<void>;
}

/** Records incidents as events and resolves them, telling nobody. */
export function recordingSink(store: Store, clock: Clock): IncidentSink {
  return {
    async raise(incident) {
      await store.recordEvent(eventOf(incident, clock.now()));
    },
    async resolve(recovery) {
      await store.resolveEvent(recovery.dedupKey, clock.now());
    },
  };
}

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
