/**
 * From incidents to events to notifications: the `Alerter` (which implements the incident port
 * of src/incidents/), flapping, and the rules of run incidents the run and job watchers apply.
 */
export { Alerter, notifyFailedKind } from './alerter.ts';
export type { AlerterOptions, NotificationQueue } from './alerter.ts';
export { alertFactsOf, notificationKey, notificationOf } from './alert-notification.ts';
export type { AlertFacts } from './alert-notification.ts';
export { defaultFlapPolicy, flappingKind, flappingKey, countFlips, describeFlips } from './flapping.ts';
export type { FlapPolicy, FlapCount } from './flapping.ts';
export { RunIncident, keyedSubject, runIncidentKey, runKeyOf, subjectOf, titleOf } from './run-incident.ts';
export { durationOf, failingStatuses, fireOutcomes, formatDuration, median, streak } from './run-history.ts';
export { queueItemFields, runEvidence } from './run-evidence.ts';
export type { RunEvidence, RunEvidenceInput } from './run-evidence.ts';
export { outputExcerpt } from './output-excerpt.ts';
export type { ExcerptBounds, OutputExcerpt } from './output-excerpt.ts';
export { NotificationGrouper } from './notification-grouper.ts';
export type { NotificationGrouperOptions } from './notification-grouper.ts';
export { groupedNotification } from './grouped-notification.ts';
