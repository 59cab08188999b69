/**
 * Records a store keeps besides runs: jobs synced from the job file, schedule state, leases,
 * events and reported metrics. Times are epoch milliseconds.
 */
import type { JsonValue } from './run-record.ts';

/** A job as the job file resolved it, secrets already redacted by the caller. */
export interface JobDefinition {
  readonly name: string;
  /** Hash of the job's configuration: a changed hash means the job changed. */
  readonly configHash: string;
  readonly spec: JsonValue;
}

/**
 * A job handed to `syncJobs`. A writer that has the spec as JSON text already gives it as
 * `specJson`, written as it is instead of `spec` (which is then not read): a first sync of
 * 100,000 jobs serializes each spec once, not three times.
 */
export interface JobToSync extends JobDefinition {
  readonly specJson?: string;
}

export interface JobRecord extends JobDefinition {
  /** Paused at run time (API, CLI); kept across syncs of the job file. */
  readonly paused: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Set when the job left the job file; its runs stay as history. Null while it is in it. */
  readonly removedAt: number | null;
}

export interface SyncJobsResult {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
}

/** What the scheduler remembers per job, for catch-up after downtime. */
export interface ScheduleState {
  readonly job: string;
  /** Scheduled time of the last fire the scheduler recorded. */
  readonly lastFireAt: number | null;
  readonly nextFireAt: number | null;
}

/** A named lease (the scheduler's leader lease). */
export interface LeaseRecord {
  readonly name: string;
  readonly owner: string;
  readonly expiresAt: number;
  /**
   * When `owner` took the lease. Its renewals keep it, also one after the lease ran out while no
   * other owner took it; another owner (or a release) starts a new one. So the same `takenAt` on
   * two reads means the owner held it throughout, nobody else in between.
   */
  readonly takenAt: number;
}

export const EventSeverity = {
  info: 'info',
  warning: 'warning',
  failure: 'failure',
  critical: 'critical',
} as const;
export type EventSeverity = keyof typeof EventSeverity;

/** Something worth knowing or alerting on (a missed fire, a failed guard, a lost run). */
export interface NewEvent {
  /** What happened, namespaced: `run:lost`, `schedule:missed`, `guard:breach`. */
  readonly kind: string;
  /** Events with the same key are one incident while open: a repeat counts, it does not add a row. */
  readonly dedupKey: string;
  readonly severity: EventSeverity;
  readonly at: number;
  readonly job?: string | null;
  readonly runId?: number | null;
  readonly details?: JsonValue;
}

export interface EventRecord {
  readonly id: number;
  readonly kind: string;
  readonly dedupKey: string;
  readonly severity: EventSeverity;
  readonly job: string | null;
  readonly runId: number | null;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly count: number;
  readonly resolvedAt: number | null;
  /** When people were last told about it (its opening, a reminder); null when never. */
  readonly notifiedAt: number | null;
  readonly details: JsonValue;
}

/** A number a run reported (a final JSON line on stdout, a JSON HTTP response field). */
export interface MetricPoint {
  readonly runId: number;
  readonly job: string;
  readonly fanKey: string;
  readonly name: string;
  readonly value: number;
  readonly at: number;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly appliedAt: number;
}

export function isEventSeverity(value: unknown): value is EventSeverity {
  return typeof value === 'string' && Object.hasOwn(EventSeverity, value);
}

/** What `pruneHistory` removes, each part optional; at most `limit` rows of each part per call. */
export interface PruneHistoryInput {
  /** Runs that finished before this (with their transitions, output and metrics). */
  readonly runsFinishedBefore?: number;
  /** The output of runs that finished before this (the run records stay). */
  readonly logsFinishedBefore?: number;
  /** Monitor pings received before this. */
  readonly pingsBefore?: number;
  readonly limit: number;
}

/** How many runs, runs' outputs and pings one call removed; a part below the limit is done. */
export interface PruneHistoryResult {
  readonly runs: number;
  readonly logs: number;
  readonly pings: number;
}
