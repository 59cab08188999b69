/**
 * Records the HTTP API keeps in the store: API tokens (only their hash is stored) and the audit
 * log of every change made through the API. Times are epoch milliseconds.
 */
import type { JsonValue } from './run-record.ts';

/** What a token may do; each scope includes the ones before it. */
export const ApiScope = {
  /** Read jobs, runs, logs, events. */
  read: 'read',
  /** Also trigger jobs, enqueue work, retry and cancel runs. */
  trigger: 'trigger',
  /** Also pause and resume jobs, manage tokens, read the audit log. */
  admin: 'admin',
} as const;
export type ApiScope = keyof typeof ApiScope;

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === 'string' && Object.hasOwn(ApiScope, value);
}

export interface NewApiToken {
  /** The public part of the token, which finds its row; the rest is secret. */
  readonly id: string;
  /** Unique among tokens not revoked; recorded in the audit log for every change it makes. */
  readonly name: string;
  /** sha256 (hex) of the whole token. The token itself is never stored. */
  readonly hash: string;
  readonly scope: ApiScope;
  /** Job-name patterns (`cleanup-*`) the token is limited to; empty means every job. */
  readonly jobs: readonly string[];
  readonly createdAt: number;
  /** Who made it (a CLI user, another token's name). */
  readonly createdBy?: string | null;
}

export interface ApiTokenRecord extends NewApiToken {
  readonly createdBy: string | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export interface NewAuditEntry {
  readonly at: number;
  /** The name of the token that made the change. */
  readonly actor: string;
  /** What was done, namespaced: `job.trigger`, `run.cancel`, `token.create`. */
  readonly action: string;
  /** What it was done to: a job name, `run:42`, a token name. */
  readonly target?: string | null;
  readonly details?: JsonValue;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details: JsonValue;
}

export interface ListAuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly limit?: number;
  readonly cursor?: number | null;
}

export interface AuditPage {
  /** Newest first. */
  readonly entries: readonly AuditEntry[];
  readonly nextCursor: number | null;
}

/** Held, pending and running runs of one job that share a rate key (per-key queue limits). */
export interface RateKeyCount {
  readonly rateKey: string | null;
  /** Queue items waiting for their release. */
  readonly held: number;
  /** Released (or otherwise queued) and not claimed yet. */
  readonly pending: number;
  readonly running: number;
}

export interface ListHeldRunsQuery {
  readonly job: string;
  /** Only runs with a higher id (the last id of the previous page). */
  readonly afterId?: number;
  /** Default 100, at most 1,000. */
  readonly limit?: number;
}

/**
 * Active runs of one job that went on too long in their status: released (pending) and due
 * before `pendingDueBefore`, or running with a lease that expired before `leaseExpiredBefore`
 * or started before `runningStartedBefore` (when given).
 */
export interface ListOverdueRunsQuery {
  readonly job: string;
  readonly pendingDueBefore: number;
  readonly leaseExpiredBefore: number;
  readonly runningStartedBefore?: number;
  /** Default 100, at most 1,000. */
  readonly limit?: number;
}

export interface ReleaseRunsInput {
  /** When: the released runs are due from then on, and their transition rows say so. */
  readonly at: number;
  /** The node that released them (recorded in the transition rows). */
  readonly node?: string | null;
  readonly reason?: string | null;
}
