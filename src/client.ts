/**
 * The `cronplane/client` entry: the typed client of a running daemon's HTTP API (docs/client.md).
 * `CronplaneClient` is `HttpControl` — the HTTP implementation of `Control` (docs/control.md) that
 * the CLI's remote mode uses — under the client's name: one class, two names. Its answers are the
 * API's views, typed from the zod schemas the API's routes answer with; its refusals are
 * `ControlError`s with the API's code, message, status and location. Re-exported by the main entry.
 */
import { HttpControl } from './control/index.ts';
import type { HttpControlOptions } from './control/index.ts';

export { HttpControl, ControlError, ControlErrorKind } from './control/index.ts';

/** The typed client of a daemon's API: `new CronplaneClient({ server, token })`. */
export const CronplaneClient = HttpControl;
export type CronplaneClient = HttpControl;
export type CronplaneClientOptions = HttpControlOptions;

export type {
  HttpControlOptions,
  ControlIssue,
  RunOutputOptions,
  FiresQuery,
  RecentRunsQuery,
  FollowRunsOptions,
  Control,
  ControlErrorOptions,
  Actor,
  JobQuery,
  JobPage,
  RunQuery,
  RunPage,
  LogQuery,
  LogPage,
  LogEvent,
  FollowOptions,
  EventQuery,
  EventPage,
  AuditQuery,
  AuditPage,
  PingPage,
  PageQuery,
  TriggerOptions,
  EnqueueInput,
  MetricQuery,
  RunStatsQuery,
  MonitorChange,
  NodeChange,
  JobView,
  JobState,
  RunView,
  RunDetail,
  RunPageView,
  EventView,
  MonitorView,
  PingView,
  NodeView,
  LogChunkView,
  AuditEntryView,
  JobMetricsView,
  MetricHistoryView,
  GuardView,
  RunStatsView,
  ListedRunView,
  JobFiresView,
  QueueView,
  QueueSummaryView,
  RecentRunsView,
  RunChangeView,
  InstanceListView,
  InstanceView,
} from './control/index.ts';
