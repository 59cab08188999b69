import type { LoadedJobFile, ResolvedJob, ResolvedMonitor } from '../config/index.ts';
import type { Clock } from '../clock/index.ts';
import type { TriggerInput } from '../engine/index.ts';
import type { EventRecord, RunRecord, SetMonitorPausedResult, Store } from '../store/index.ts';
import type { RunChangeSource } from './run-change-feed.ts';
import type { RunPageCache } from './run-page-cache.ts';

/**
 * Where pauses and resumes of monitors go: the daemon's monitor watch (it re-arms at once), or the
 * store alone. Undefined for a monitor the store does not have.
 */
export interface MonitorPauser {
  setMonitorPaused(name: string, paused: boolean, at: number): Promise<SetMonitorPausedResult | undefined>;
}

/**
 * Closes an open event by hand and tells the channels that heard of it (the daemon's Alerter):
 * answers false when the event was no longer the open one of its key.
 */
export type ResolveIncident = (event: EventRecord, by: string) => Promise<boolean>;

/** What control needs of a running engine: triggers, the scheduler's pause state, the worker's wake and abort. */
export interface ControlEngine {
  trigger(input: TriggerInput): Promise<readonly RunRecord[]>;
  readonly scheduler: {
    nextFireOf(job: string): number | null;
    setPaused(job: string, paused: boolean): void;
  };
  readonly worker: {
    runsQueued(): Promise<void>;
    abort(runIds: readonly number[], reason: string): void;
  };
  /** Whether a job in force was defined through the API (not the job file). */
  isApiJob?(name: string): boolean;
  /** The version of an API job in force on this node (0 when none). */
  apiJobVersion?(name: string): number;
  /** Applies written API jobs to this node's scheduler and worker at once. */
  applyApiJobs?(
    upserts: readonly { readonly job: ResolvedJob; readonly version: number }[],
    removes: readonly { readonly name: string; readonly version: number }[],
  ): Promise<void>;
}

/** What control needs of the queue drainer: told of new items and of pauses at once. */
export interface ControlDrainer {
  notify(job: string): void;
  setPaused(job: string, paused: boolean): void;
}

/**
 * What `LocalControl` is built from: a store (always) and, inside a daemon, its engine, queue
 * drainer, monitor watch and alerter. Without them (a CLI on a store) the store's signals tell
 * the running daemons, and next fires are computed from the job file.
 */
export interface ControlParts {
  readonly store: Store;
  readonly clock: Clock;
  /** The node recorded on the changes made (a cancel's transition). */
  readonly node: string;
  /**
   * The jobs in force (they change on reload): the job file's and those defined through the API;
   * none without a job file.
   */
  readonly jobs: () => readonly ResolvedJob[];
  /**
   * Without an engine: the version of a job among `jobs()` defined through the API, undefined
   * for a job of the file (with an engine, the engine says).
   */
  readonly apiJobVersion?: (name: string) => number | undefined;
  /**
   * The job file in force as read: jobs written through the API are resolved against it (its
   * defaults, channels, folder). Without it, jobs cannot be written.
   */
  readonly jobFile?: () => LoadedJobFile | undefined;
  /** The monitors of the job file in force. */
  readonly monitors: () => readonly ResolvedMonitor[];
  /** Masks secret values in log chunks and audit details. */
  readonly redact: (text: string) => string;
  /** The base of ping URLs. */
  readonly publicUrl: () => string;
  /**
   * Whether `publicUrl` is the job file's `server.public_url` (else it is the API's own address or
   * the default one, which a job on another machine may not reach); false when absent.
   */
  readonly publicUrlSet?: () => boolean;
  readonly engine?: ControlEngine | undefined;
  readonly drainer?: ControlDrainer | undefined;
  /** The daemon's monitor watch; the store by default. */
  readonly monitorPauser?: MonitorPauser | undefined;
  /** The daemon's alerter (or the CLI's): without it the event is only closed in the store. */
  readonly resolveIncident?: ResolveIncident | undefined;
  /** How the reasons recorded on runs name the way a change came: `the API` by default. */
  readonly through?: string;
  /** The process's one reader of run changes (the API's); without it each follower reads the store itself. */
  readonly runChanges?: RunChangeSource | undefined;
  /** Pages of runs kept while the store has not changed (the API server's); without it every listing reads. */
  readonly runPages?: RunPageCache | undefined;
  /** How often a followed log looks for output when there is no engine feed (default 200 ms). */
  readonly logPollMs?: number;
}
