/**
 * The `cronplane/client` entry: talking to a running daemon over its HTTP API — the HTTP
 * implementation of `Control` (docs/control.md), its error type and the view types it returns.
 * Re-exported by the main entry too.
 */
export { HttpControl, ControlError, ControlErrorKind } from './control/index.ts';
export type {
  HttpControlOptions,
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
} from './control/index.ts';
