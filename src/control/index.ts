/**
 * The control layer: every operation a person or a program performs on cronplane, carried out
 * in this process (`LocalControl`) or by a daemon through its API (`HttpControl`). See
 * docs/control.md.
 */
export type {
  Actor,
  AuditPage,
  AuditQuery,
  Control,
  EnqueueInput,
  EventPage,
  EventQuery,
  FiresQuery,
  FollowOptions,
  JobPage,
  JobQuery,
  LogEvent,
  LogPage,
  LogQuery,
  MetricQuery,
  MonitorChange,
  NodeChange,
  FollowRunsOptions,
  PageQuery,
  PingPage,
  RecentRunsQuery,
  RunPage,
  RunQuery,
  RunStatsQuery,
  TriggerOptions,
  JobPut,
  WriteOptions,
} from './control.ts';
export { ControlError, ControlErrorKind, controlErrorKindOfStatus } from './control-error.ts';
export type { ControlErrorOptions, ControlIssue } from './control-error.ts';
export type {
  ControlDrainer,
  ControlEngine,
  ControlParts,
  MonitorPauser,
  ResolveIncident,
} from './control-parts.ts';
export { LocalControl, manualRetryStatuses } from './local-control.ts';
export { defaultPublicUrl, storeControlParts } from './store-control-parts.ts';
export { resolveApiJobs } from './resolve-api-jobs.ts';
export type { ApiJobInForce, ApiJobLeftOut, ResolvedApiJobs, StoredApiJobEntry } from './resolve-api-jobs.ts';
export type { StoreControlInput } from './store-control-parts.ts';
export { HttpControl } from './http-control.ts';
export type { HttpControlOptions } from './http-control.ts';
export { runOutput } from './run-output.ts';
export type { RunOutputOptions } from './run-output.ts';
export {
  checkJobFilter,
  checkMonitorName,
  checkUnlimited,
  eventForActor,
  jobForActor,
  runForActor,
  unlimitedActor,
} from './actor-access.ts';
export { requestApi, refusalOf, noDaemonCode, notJsonCode } from './api-request.ts';
export type { ApiAnswer, ApiRequest } from './api-request.ts';
export { RunChangeFeed } from './run-change-feed.ts';
export { RunPageCache } from './run-page-cache.ts';
export type { RunChangeFeedOptions, RunChangeListener, RunChangeSource } from './run-change-feed.ts';
export {
  compactRunSchema,
  compactRunView,
  recentRunsSchema,
  runChangeSchema,
  runChangeView,
} from './views/recent-runs-view.ts';
export type { CompactRunView, RecentRunsView, RunChangeView } from './views/recent-runs-view.ts';
export { readEventStream } from './read-event-stream.ts';
export type { StreamEvent } from './read-event-stream.ts';
export { auditEntryView, auditEntryViewSchema, auditPageSchema } from './views/audit-entry-view.ts';
export type { AuditEntryView } from './views/audit-entry-view.ts';
export { eventPageSchema, eventView, eventViewSchema } from './views/event-view.ts';
export type { EventView } from './views/event-view.ts';
export {
  jobPageSchema,
  jobView,
  jobViewSchema,
  lastRunSchema,
  scheduleCalendarSchema,
} from './views/job-view.ts';
export type { JobState, JobView, ScheduleCalendarView } from './views/job-view.ts';
export { jobFiresSchema } from './views/job-fires-view.ts';
export type { JobFiresView } from './views/job-fires-view.ts';
export { logChunkView, logChunkViewSchema, logPageSchema } from './views/log-chunk-view.ts';
export type { LogChunkView } from './views/log-chunk-view.ts';
export {
  guardView,
  guardViewSchema,
  jobMetricsSchema,
  metricHistorySchema,
  metricPointSchema,
} from './views/metric-history-view.ts';
export type { GuardView, JobMetricsView, MetricHistoryView } from './views/metric-history-view.ts';
export { runStatsSchema } from './views/run-stats-view.ts';
export type { RunStatsView } from './views/run-stats-view.ts';
export {
  monitorChangeSchema,
  monitorView,
  monitorViewSchema,
  pingPageSchema,
  pingUrlOf,
  pingView,
  pingViewSchema,
} from './views/monitor-view.ts';
export type { MonitorView, PingBase, PingView } from './views/monitor-view.ts';
export { nodeChangeSchema, nodeView, nodeViewSchema } from './views/node-view.ts';
export {
  queueItemSchema,
  queueKeySchema,
  queueSummarySchema,
  queueViewSchema,
  StuckReason,
  stuckItemSchema,
} from './views/queue-view.ts';
export type { QueueItemView, QueueSummaryView, QueueView, StuckItemView } from './views/queue-view.ts';
export { releasedStuckAfterMs } from './queue-state.ts';
export type { NodeView } from './views/node-view.ts';
export {
  iso,
  listedRunView,
  listedRunViewSchema,
  runDetailSchema,
  runPageSchema,
  runView,
  runViewSchema,
  transitionView,
  transitionViewSchema,
} from './views/run-view.ts';
export type { ListedRunView, RunDetail, RunPageView, RunView } from './views/run-view.ts';
export {
  jobWriteViewSchema,
  jobDeleteViewSchema,
  jobBatchViewSchema,
  jobVersionViewSchema,
  jobVersionView,
  apiJobEntryViewSchema,
  apiJobEntryView,
} from './views/job-write-view.ts';
export type {
  ApiJobEntryView,
  JobWriteView,
  JobDeleteView,
  JobBatchView,
  JobVersionView,
} from './views/job-write-view.ts';
export { instanceListViewSchema, instanceViewSchema } from './views/instance-view.ts';
export type { InstanceListView, InstanceView } from './views/instance-view.ts';
export { maxJobsPerBatch } from './api-job-writes.ts';
export { mergePatch } from './merge-patch.ts';
export { entryDiff } from './entry-diff.ts';
export type { EntryChange } from './entry-diff.ts';
