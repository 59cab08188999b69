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
export interface EventSummary {
  readonly id: number;
  readonly job: string | null;
  readonly severity: string;
}

/** What a job view adds for the overview. */
export interface OverviewJob extends JobView {
  readonly tags: readonly string[];
  readonly fanKeys: readonly string[];
}
