import type { Incident, RaiseOptions, Recovery } from './incident.ts';

/**
 * Where code that notices trouble hands it: the scheduler (missed fires), the engine (lost runs),
 * the watchers. The daemon passes its `Alerter`, which records and notifies; without one
 * (`cronplane run`, engine tests) `recordingSink` only records the event.
 */
export interface IncidentSink {
  /** With `notify: false` the event is recorded (and counted) but nobody is told. */
  raise(incident: Incident, options?: RaiseOptions): Promise<void>;
  resolve(recovery: Recovery): Promise<void>;
}
