import type { AuthFailureLimit, ListenSetting, LiveStreamLimit, RateLimit } from '../api/index.ts';
import type { NodeRole } from '../store/index.ts';

/**
 * How one node runs, resolved once at start-up from its layers (flags, then the environment,
 * then the job file, then the defaults) and read by everything that starts it. Frozen.
 */
export interface Settings {
  /** The job file: --config, CRONPLANE_CONFIG, ./cronplane.yaml. */
  readonly configFile: string;
  /** --store, CRONPLANE_STORE, the job file's `store:`, sqlite:./data/cronplane.db (a SQLite path made absolute). */
  readonly storeUrl: string;
  /** --listen, CRONPLANE_LISTEN, the job file's `server.listen`, 127.0.0.1:7070. */
  readonly listen: ListenSetting;
  /** CRONPLANE_LOG_LEVEL, else info. */
  readonly logLevel: string;
  /** CRONPLANE_TOKEN: an admin token for the API, taken from the environment only. */
  readonly bootstrapToken: string | undefined;
  /** --node; undefined means the host name (the cluster picks it). */
  readonly node: string | undefined;
  readonly role: NodeRole;
  readonly tags: readonly string[];
  readonly slots: number;
  readonly heartbeatMs: number;
  readonly nodeStaleMs: number;
  readonly runLeaseMs: number;
  readonly leaderLeaseMs: number;
  readonly leaderPollMs: number;
  readonly shutdownTimeoutMs: number;
  readonly watch: boolean;
  readonly apiRateLimit: RateLimit;
  readonly authFailureLimit: AuthFailureLimit;
  readonly liveStreamLimit: LiveStreamLimit;
  /** Where each value came from: a flag (`--store`), a variable (`CRONPLANE_STORE`), a job-file key (`store`), or `default`. */
  readonly sources: Readonly<Record<SettingName, string>>;
}

export type SettingName = Exclude<keyof Settings, 'sources'>;

/** The command-line flags of `cronplane start` that are settings (numbers already checked positive). */
export interface SettingFlags {
  readonly config?: string | undefined;
  readonly store?: string | undefined;
  readonly node?: string | undefined;
  readonly role?: string | undefined;
  readonly heartbeat?: number | undefined;
  readonly nodeStale?: number | undefined;
  readonly tag?: readonly string[] | undefined;
  readonly watch?: boolean | undefined;
  readonly slots?: number | undefined;
  readonly lease?: number | undefined;
  readonly leaderLease?: number | undefined;
  readonly leaderPoll?: number | undefined;
  readonly shutdownTimeout?: number | undefined;
  readonly listen?: string | undefined;
  readonly apiRateLimit?: number | undefined;
  readonly authFailureLimit?: number | undefined;
  readonly streamLimit?: number | undefined;
  readonly streamLimitTotal?: number | undefined;
}

/** The settings a job file carries (its top-level `store:` and `server.listen`). */
export interface FileSettings {
  readonly store: string | undefined;
  readonly listen: string | undefined;
}
