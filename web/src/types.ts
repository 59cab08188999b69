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
  readonly description: string | null;
  readonly enabled: boolean;
  readonly paused: boolean;
  readonly schedules: readonly string[];
  readonly timezone: string;
  readonly fanOut: number;
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
