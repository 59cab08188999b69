/**
 * From incidents to events to notifications: the `Alerter`, the run-outcome watch (`RunWatch`,
 * hung on the engine's `onRunEnded`) and the periodic job watch (`JobWatch`).
 */
export type { Incident, RaiseOptions, Recovery } from './incident.ts';
export { recordingSink, eventOf } from './incident-sink.ts';
export type { IncidentSink } from './incident-sink.ts';
export { Alerter, notifyFailedKind } from './alerter.ts';
export type { AlerterOptions, NotificationQueue } from './alerter.ts';
export { alertFactsOf, notificationKey, notificationOf } from './alert-notification.ts';
export type { AlertFacts } from './alert-notification.ts';
export { defaultFlapPolicy, flappingKind, flappingKey, countFlips, describeFlips } from './flapping.ts';
export type { FlapPolicy, FlapCount } from './flapping.ts';
export { RunWatch, RunIncident, runIncidentKey, titleOf } from './run-watch.ts';
export type { RunWatchOptions } from './run-watch.ts';
export { JobWatch, schedulerStalledKind } from './job-watch.ts';
export type { JobWatchOptions } from './job-watch.ts';
