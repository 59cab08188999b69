/** What the dashboard reads from the API (the fields it uses of each view). */

export type Scope = 'read' | 'trigger' | 'admin';

export interface SessionView {
  /** The name of the token the session was opened with. */
  readonly name: string;
  readonly scope: Scope;
  readonly jobs: readonly string[];
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface LastRun {
  readonly id: number;
  readonly status: string;
  readonly trigger: string;
  readonly scheduledAt: string;
  readonly finishedAt: string | null;
}

export interface JobView {
  readonly name: string;
  /** `file`: a job of the job file; `api`: defined through the API. */
  readonly source: 'file' | 'api';
  /** An API job's version; null for a job of the file. */
  readonly version: number | null;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly paused: boolean;
  readonly schedules: readonly string[];
  /** Each schedule said for people, in the order of `schedules`. */
  readonly calendar: readonly ScheduleCalendar[];
  readonly timezone: string;
  readonly fanOut: number;
  /** `cooldown` in ms, and when the cooldown of the last run ends while the job is in one. */
  readonly cooldownMs: number | null;
  readonly cooldownUntil: string | null;
  /** `max_per_run`: how many items one run may process. */
  readonly maxPerRun: number | null;
  readonly nextFireAt: string | null;
  readonly lastRun: LastRun | null;
}

export interface RunView {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly trigger: string;
  readonly requestedBy: string | null;
  readonly scheduledAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly error: string | null;
  readonly node: string | null;
}

export interface TransitionView {
  readonly seq: number;
  readonly at: string;
  readonly from: string | null;
  readonly to: string;
  readonly reason: string | null;
  readonly node: string | null;
}

export interface RunDetail {
  readonly run: RunView;
  readonly attempts: readonly RunView[];
  readonly transitions: readonly TransitionView[];
  readonly metrics: Readonly<Record<string, number>>;
}

export interface LogChunk {
  readonly seq: number;
  readonly at: string;
  readonly stream: string;
  readonly text: string;
}

export interface LogPage {
  readonly chunks: readonly LogChunk[];
  readonly nextAfter: number;
  readonly done: boolean;
  readonly truncated: boolean;
}

/* Queues, audit and nodes pages. */

export interface QueueKeyCounts {
  readonly key: string | null;
  readonly waiting: number;
  readonly released: number;
  readonly running: number;
}

export interface QueueSummary {
  readonly job: string;
  readonly paused: boolean;
  readonly limits: {
    readonly key: string | null;
    readonly perKey: number | null;
    readonly maxPerRun: number | null;
  };
  readonly waiting: number;
  readonly released: number;
  readonly running: number;
  readonly keys: readonly QueueKeyCounts[];
  readonly oldestWaitingAt: string | null;
  readonly oldestWaitingAgeMs: number | null;
  readonly stuckCount: number;
  readonly stuckAfter: { readonly releasedMs: number; readonly runningMs: number | null };
}

export interface QueueItem extends RunView {
  readonly payload: unknown;
  readonly rateKey: string | null;
  readonly queuedAt: string;
  readonly runAfter: string | null;
  readonly priority: number;
}

export interface StuckItem {
  readonly run: RunView & { readonly rateKey: string | null; readonly runAfter: string | null };
  readonly reason: 'unclaimed' | 'lease-expired' | 'over-runtime';
  readonly detail: string;
}

export interface QueueDetail extends QueueSummary {
  readonly next: readonly QueueItem[];
  readonly stuck: readonly StuckItem[];
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details: unknown;
}

export interface NodeView {
  readonly name: string;
  readonly instanceId: string;
  readonly host: string;
  readonly version: string;
  readonly state: 'running' | 'draining' | 'stopped';
  readonly stateReason: string | null;
  readonly live: boolean;
  readonly heartbeatAt: string;
  readonly heartbeatAgeMs: number;
  readonly configMatchesLeader: boolean | null;
  readonly tags: readonly string[];
  readonly slots: { readonly inUse: number; readonly total: number };
  readonly role: 'all' | 'scheduler' | 'worker';
  readonly leads: readonly string[];
}

/** One schedule of a job: as written, its kind, its normal form and the words for it. */
export interface ScheduleCalendar {
  readonly text: string;
  /** cron, systemd, aws-cron, aws-rate, interval or startup. */
  readonly kind: string;
  readonly normalForm: string;
  /** `every day at 02:00`; `at times matching <normal form>` when irregular. */
  readonly words: string;
}

/** `GET /api/jobs/:job/fires`: the job's next fires, each with the schedule it comes from. */
export interface JobFires {
  readonly job: string;
  readonly timezone: string;
  readonly paused: boolean;
  readonly fires: readonly { readonly at: string; readonly schedule: string }[];
}

/** A declared trigger parameter of a job (`paramRules` of `GET /api/jobs/:job`). */
export interface ParamRule {
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'enum';
  /** What a value must be, in the words a refusal uses. */
  readonly rule: string;
  readonly required: boolean;
  readonly secret: boolean;
  readonly description: string | null;
  /** An enum's values, in the order declared; null for other types. */
  readonly values: readonly string[] | null;
}

/** One job as `GET /api/jobs/:job` answers it (the fields the job page reads). */
export interface JobDetail extends JobView {
  /** Defaults of the parameters (secret ones as ***; required ones absent). */
  readonly params: Readonly<Record<string, string>>;
  readonly paramRules: Readonly<Record<string, ParamRule>>;
}

export interface RunPageView {
  readonly runs: readonly RunView[];
  /** Pass as `cursor` for the next (older) page; null on the last. */
  readonly nextCursor: number | null;
}

export interface RunStatsBucket {
  readonly start: string;
  readonly total: number;
  readonly counts: Readonly<Partial<Record<string, number>>>;
}

export interface RunStatsView {
  readonly from: string;
  readonly to: string;
  readonly bucketMs: number;
  readonly buckets: readonly RunStatsBucket[];
  readonly totals: Readonly<Partial<Record<string, number>>>;
}

export interface JobMetricsView {
  readonly job: string;
  readonly metrics: readonly {
    readonly name: string;
    readonly guards: readonly string[];
    readonly keys: readonly { readonly key: string; readonly points: number; readonly lastAt: string }[];
  }[];
}

export interface MetricPoint {
  readonly at: string;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly last: number;
  readonly lastRunId: number;
}

export interface GuardView {
  readonly name: string;
  readonly metric: string;
  readonly above: number | null;
  readonly below: number | null;
  readonly riseBy: number | null;
  readonly dropBy: number | null;
  readonly baseline: 'mean' | 'median';
  readonly lookback: number;
  readonly perKey: boolean;
  readonly severity: string;
}

export interface MetricHistoryView {
  readonly metric: string;
  readonly from: string;
  readonly to: string;
  /** The width of a bucket when down-sampled, or null when each value is as reported. */
  readonly bucketMs: number | null;
  readonly series: readonly { readonly key: string; readonly points: readonly MetricPoint[] }[];
  readonly guards: readonly GuardView[];
  readonly events: readonly {
    readonly guard: string;
    readonly key: string | null;
    readonly event: EventView;
  }[];
}

/** A run as its own page shows it: the list fields and what was given to it. */
export interface RunPageView extends RunView {
  /** Secret parameters arrive as `***`. */
  readonly params: Readonly<Record<string, string>>;
  /** A queue item's payload (job-file secrets masked by the API), or null. */
  readonly payload: unknown;
  readonly held: boolean;
  readonly firstRunId: number | null;
  readonly logTruncated: boolean;
}

export interface RunPageDetail {
  readonly run: RunPageView;
  /** The first attempt and its retries, by attempt. */
  readonly attempts: readonly RunPageView[];
  readonly transitions: readonly TransitionView[];
  readonly metrics: Readonly<Record<string, number>>;
}

export type EventSeverity = 'info' | 'warning' | 'failure' | 'critical';

export interface EventView {
  readonly id: number;
  readonly kind: string;
  readonly severity: EventSeverity;
  readonly job: string | null;
  readonly runId: number | null;
  readonly dedupKey: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly resolvedAt: string | null;
  readonly notifiedAt: string | null;
  /** What the raiser recorded, secret values masked by the API. */
  readonly details: unknown;
}

export interface EventPage {
  readonly events: readonly EventView[];
  readonly nextCursor: number | null;
}

export interface MonitorView {
  readonly name: string;
  readonly description: string | null;
  readonly status: 'new' | 'up' | 'down';
  readonly schedules: readonly string[];
  readonly period: string | null;
  readonly grace: string | null;
  readonly timezone: string;
  readonly expectSuccessWithin: string | null;
  readonly minDuration: string | null;
  readonly pingUrl: string;
  /** `public_url`: built on the job file's `server.public_url`; `own_address`: on the API's own address. */
  readonly pingUrlBase: 'public_url' | 'own_address';
  readonly lastPingAt: string | null;
  readonly lastStartAt: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastFailureAt: string | null;
  readonly statusChangedAt: string;
  readonly createdAt: string;
  readonly paused: boolean;
  readonly pausedAt: string | null;
  readonly resumedAt: string | null;
}

export interface PingView {
  readonly id: number;
  readonly monitor: string;
  readonly kind: 'start' | 'success' | 'fail' | 'exit' | 'ignored';
  readonly at: string;
  readonly exitCode: number | null;
  readonly runKey: string | null;
  readonly durationMs: number | null;
  /** The job's output as sent, capped, secret values masked by the daemon before it was stored. */
  readonly body: string | null;
  readonly bodyTruncated: boolean;
  readonly source: string | null;
}

export interface PingPage {
  readonly pings: readonly PingView[];
  readonly nextCursor: number | null;
}

/** A run as a strip shows it (`GET /api/runs/recent`). */
export interface CompactRun {
  readonly id: number;
  readonly status: string;
  readonly scheduledAt: string;
  readonly durationMs: number | null;
}

export interface RecentRuns {
  readonly perKey: number;
  readonly keys: readonly {
    readonly job: string;
    readonly fanKey: string;
    readonly runs: readonly CompactRun[];
  }[];
}

/** A run created or changed status (an event of `GET /api/runs/stream`). */
export interface RunChange {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly status: string;
  readonly scheduledAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
}

/** The fields of an event the overview counts. */
export type EventSummary = Pick<EventView, 'id' | 'job' | 'severity'>;

/** What a job view adds for the overview. */
export interface OverviewJob extends JobView {
  readonly tags: readonly string[];
  readonly fanKeys: readonly string[];
}
