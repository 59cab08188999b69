/**
 * The store: durable runs, jobs, logs, metrics, events and scheduler state on SQLite or
 * PostgreSQL behind one contract. See docs/store.md.
 */
export { openStore, parseStoreUrl, redactUrl, acceptedStoreUrls } from './open-store.ts';
export type { OpenStoreOptions, StoreLocation } from './open-store.ts';
export { StoreDialect } from './store.ts';
export type {
  Store,
  MigrateResult,
  InsertAndClaimResult,
  InsertRunsResult,
  ClaimRunsInput,
  FinishRunInput,
  TransitionRunInput,
  CancelRunInput,
  AppendLogInput,
  AppendLogResult,
  ReadLogsOptions,
  ListRunsQuery,
  RunPage,
  ActiveRunCount,
  RunStart,
  CooldownStarts,
  StartRunsResult,
  AcquireLeaseInput,
  ListEventsQuery,
  EventPage,
  ListMetricsQuery,
} from './store.ts';
export {
  RunStatus,
  runStatusTransitions,
  initialRunStatuses,
  finishedRunStatuses,
  isRunStatus,
  isTerminalRunStatus,
  canTransition,
  assertRunStatus,
  assertTransition,
} from './run-status.ts';
export type {
  RecentRunRecord,
  RecentRunsQuery,
  RunChangeRecord,
  RunChangesQuery,
  RunKey,
} from './overview-records.ts';
export { RunTrigger, LogStream, makeFireKey, isRunTrigger, isLogStream } from './run-record.ts';
export type { JsonValue, RunRecord, NewRun, RunTransition, LogChunk } from './run-record.ts';
export { SecretParams } from './secret-params.ts';
export { EventSeverity, isEventSeverity } from './store-records.ts';
export type {
  JobDefinition,
  JobToSync,
  JobRecord,
  SyncJobsResult,
  ScheduleState,
  LeaseRecord,
  NewEvent,
  EventRecord,
  MetricPoint,
  AppliedMigration,
  PruneHistoryInput,
  PruneHistoryResult,
} from './store-records.ts';
export type {
  MetricBucket,
  MetricHistory,
  MetricHistoryQuery,
  MetricSeriesRecord,
  RunCountBucket,
  RunCountQuery,
} from './history-records.ts';
export { isMonitorStatus, isPingKind, MonitorStatus, PingKind } from './monitor-records.ts';
export type {
  MonitorRecord,
  SyncMonitorsResult,
  NewPing,
  PingRecord,
  RecordPingResult,
  ListPingsQuery,
  PingPage,
  SetMonitorPausedResult,
} from './monitor-records.ts';
export {
  NodeState,
  NodeRole,
  nodeStateTransitions,
  isNodeState,
  isNodeRole,
  assertNodeRole,
  roleMayLead,
  roleMayClaim,
} from './node-state.ts';
export type {
  NewNode,
  NodeRecord,
  RegisterNodeResult,
  HeartbeatInput,
  HeartbeatResult,
  DrainNodeResult,
} from './node-records.ts';
export { ApiScope, isApiScope } from './api-records.ts';
export type {
  NewApiToken,
  ApiTokenRecord,
  NewAuditEntry,
  AuditEntry,
  ListAuditQuery,
  AuditPage,
  RateKeyCount,
  ListHeldRunsQuery,
  ListOverdueRunsQuery,
  ReleaseRunsInput,
} from './api-records.ts';
export { ApiJobChange, ApiJobStatus, isApiJobChange } from './api-job-records.ts';
export type {
  ApiJobAuthor,
  ApiJobChangesQuery,
  ApiJobRecord,
  ApiJobVersion,
  ApiJobWrite,
  DeleteApiJobInput,
  PutApiJobInput,
} from './api-job-records.ts';
export type { ApiJobBatch } from './api-job-records.ts';
export { canonicalJson } from './sql/api-job-queries.ts';
export {
  jobsPausedSignal,
  jobsChangedSignal,
  signalChannelPattern,
  maxSignalPayload,
} from './store-signals.ts';
export type { StoreSignals, SignalListener, StopListening } from './store-signals.ts';
export { StoreHealth, StoreAccess } from './health/store-health.ts';
export type { StoreHealthOptions, StoreHealthState } from './health/store-health.ts';
export { storeFaultOf, isStoreFault } from './health/store-fault.ts';
export { watchStoreHealth, storeAccessOf } from './health/watch-store-health.ts';
export { logStoreError } from './health/log-store-error.ts';
