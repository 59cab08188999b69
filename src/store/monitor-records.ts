/**
 * External monitors (jobs that run elsewhere and ping cronplane) and their pings, as the store
 * keeps them. Times are epoch milliseconds.
 */

/** A monitor's state: `new` until its first ping, then `up` or `down`. */
export const MonitorStatus = {
  new: 'new',
  up: 'up',
  down: 'down',
} as const;
export type MonitorStatus = keyof typeof MonitorStatus;

export function isMonitorStatus(value: unknown): value is MonitorStatus {
  return typeof value === 'string' && Object.hasOwn(MonitorStatus, value);
}

/** What a ping says: the job started, succeeded, failed, or ended with an exit code. */
export const PingKind = {
  start: 'start',
  success: 'success',
  fail: 'fail',
  /** `/<exit-code>`: 0 is a success, anything else a failure; the code is kept. */
  exit: 'exit',
  /**
   * A ping kept for the record that changes nothing. Reserved: callers cannot send it and the store
   * writes none today (a ping for a removed monitor is refused and not stored).
   */
  ignored: 'ignored',
} as const;
export type PingKind = keyof typeof PingKind;

export function isPingKind(value: unknown): value is PingKind {
  return typeof value === 'string' && Object.hasOwn(PingKind, value);
}

export interface MonitorRecord {
  readonly name: string;
  /** The unguessable id in the ping URL (`/ping/<pingId>`); made once, kept across restarts. */
  readonly pingId: string;
  readonly status: MonitorStatus;
  readonly lastPingAt: number | null;
  /**
   * The last `start` ping not yet followed by its end. Any end ping clears it, except one paired by
   * run key with an older start (that run ended; the later one is still going).
   */
  readonly lastStartAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly lastFailureAt: number | null;
  /** When the status last changed (up → down, down → up). */
  readonly statusChangedAt: number;
  readonly createdAt: number;
  /** Set when the monitor left the job file; its pings stay as history. */
  readonly removedAt: number | null;
  /**
   * Paused for maintenance: never taken down (not by lateness, not by a failure ping) and no
   * alert raised; its pings are still stored. Apart from `status`: resuming finds the status kept.
   */
  readonly paused: boolean;
  /** When it was paused; set exactly while it is paused. */
  readonly pausedAt: number | null;
  /** When it was last resumed: its lateness counts from then (a fresh grace), not from older pings. */
  readonly resumedAt: number | null;
}

export interface SetMonitorPausedResult {
  /** The monitor after the call. */
  readonly monitor: MonitorRecord;
  /** False when it already was as asked (paused, or not): nothing was written. */
  readonly changed: boolean;
}

export interface SyncMonitorsResult {
  /** New names, and removed ones that came back (with their old ping id). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The monitors not removed after the sync, by name. */
  readonly monitors: readonly MonitorRecord[];
}

export interface NewPing {
  readonly pingId: string;
  readonly kind: Exclude<PingKind, 'ignored'>;
  readonly at: number;
  /** Required with `exit` (any 32-bit integer) and refused with the other kinds. */
  readonly exitCode?: number | null;
  /** A caller's id pairing a start with its end (`?rid=`); the duration is measured between them. */
  readonly runKey?: string | null;
  /** The request body (output of the job), already capped by the caller. */
  readonly body?: string | null;
  readonly bodyTruncated?: boolean;
  /** The sender's address and user agent, for the record. */
  readonly source?: string | null;
}

export interface PingRecord {
  readonly id: number;
  readonly monitor: string;
  readonly kind: PingKind;
  readonly at: number;
  readonly exitCode: number | null;
  readonly runKey: string | null;
  /** From the paired start ping to this one (end pings only); null when unpaired. */
  readonly durationMs: number | null;
  readonly body: string | null;
  readonly bodyTruncated: boolean;
  readonly source: string | null;
}

export interface RecordPingResult {
  readonly ping: PingRecord;
  /** The monitor after the ping (its status already moved: a success brings it up, a failure down). */
  readonly monitor: MonitorRecord;
  /** Its status before the ping. */
  readonly previousStatus: MonitorStatus;
}

export interface ListPingsQuery {
  readonly monitor: string;
  /** Newest first; default 50, at most 1,000. */
  readonly limit?: number;
  readonly cursor?: number | null;
}

export interface PingPage {
  readonly pings: readonly PingRecord[];
  readonly nextCursor: number | null;
}
