/**
 * cronplane as a library: the package's main entry (`import … from 'cronplane'`). What a program
 * outside the daemon needs: read and validate a job file, compile a schedule and ask for its next
 * fires, and the types of what the API and the store hand out. The daemon, the engine and the
 * store stay internal; they change without notice. See docs/library.md.
 */

// Errors: every error a caller can cause is a CronplaneError with a stable `code`.
export { CronplaneError, coerceError, formatLocation } from './errors/index.ts';
export type { ErrorLocation, CronplaneErrorOptions } from './errors/index.ts';

// The job file: load (parse, substitute, validate), resolve (defaults, durations, schedules).
export { readConfig, loadJobFile, loadJobFileText, builtinKinds } from './kinds/index.ts';
export type { ReadOptions } from './kinds/index.ts';
export type { JobFileKinds } from './config/index.ts';
export {
  resolveConfig,
  findConfigFile,
  defaultConfigNames,
  ConfigError,
  formatProblem,
  Secret,
  reveal,
} from './config/index.ts';
export type {
  ConfigProblem,
  LoadedJobFile,
  LoadOptions,
  MaybeSecret,
  JobFile,
  JobEntry,
  JobDefaults,
  ChannelEntry,
  QuietHoursEntry,
  MonitorEntry,
  GuardEntry,
  ParamEntry,
  ScheduleEntry,
  ConcurrencyPolicy,
  CatchUpPolicy,
  Outcome,
  Severity,
  NotifyKey,
  ResolvedConfig,
  ResolvedJob,
  ResolvedMonitor,
  ResolvedSchedule,
  Retention,
  JobTarget,
  RetryPolicy,
  EnvFileRef,
} from './config/index.ts';
// The built-in executor kinds' targets (src/executors/kinds holds each kind).
export type { CommandTarget, HttpTarget, ModuleTarget } from './executors/index.ts';

// Schedules: parse any of the four syntaxes, compile, and ask for next and previous fires.
export {
  Syntax,
  parseSchedule,
  detectSyntax,
  compileSchedule,
  normalizeSchedule,
  describeSchedule,
  parseDuration,
  formatDuration,
  isKnownTimeZone,
  CALENDAR_INVALID,
  CALENDAR_UNREPRESENTABLE,
  DURATION_INVALID,
} from './calendar/index.ts';
export type { Schedule, ScheduleOptions, ScheduleSpec, ParseScheduleOptions } from './calendar/index.ts';

// Records: runs and their status, jobs, events and monitors as the store and the API hold them.
export {
  RunStatus,
  runStatusTransitions,
  isRunStatus,
  isTerminalRunStatus,
  canTransition,
  RunTrigger,
  LogStream,
  EventSeverity,
  MonitorStatus,
  PingKind,
} from './store/index.ts';
export type {
  JsonValue,
  RunRecord,
  RunTransition,
  LogChunk,
  JobRecord,
  EventRecord,
  MonitorRecord,
  PingRecord,
} from './store/index.ts';

// The HTTP client of a running daemon (also its own entry, `cronplane/client`).
export * from './client.ts';
