/**
 * The incident port: what code that notices trouble hands on (`Incident`, `Recovery`) and the
 * interface it hands it to (`IncidentSink`). The engine and the watchers raise through it; the
 * `Alerter` (src/alerts/) implements it, and `recordingSink` records without telling anyone. It
 * sits below the engine and the alerts, so neither needs the other.
 */
export type { Incident, RaiseOptions, Recovery } from './incident.ts';
export type { IncidentSink } from './incident-sink.ts';
export { recordingSink } from './recording-sink.ts';
export { eventOf } from './event-of.ts';
