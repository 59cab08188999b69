import type { EventSeverity, RunStatus, RunTrigger } from '../store/index.ts';
import type { AuditPage } from './views/audit-entry-view.ts';
import type { EventPage, EventView } from './views/event-view.ts';
import type { JobFiresView } from './views/job-fires-view.ts';
import type { JobPage, JobView } from './views/job-view.ts';
import type {
  ApiJobEntryView,
  JobBatchView,
  JobDeleteView,
  JobVersionView,
  JobWriteView,
} from './views/job-write-view.ts';
import type { InstanceListView } from './views/instance-view.ts';
import type { LogChunkView, LogPage } from './views/log-chunk-view.ts';
import type { JobMetricsView, MetricHistoryView } from './views/metric-history-view.ts';
import type { MonitorChange, MonitorView, PingPage } from './views/monitor-view.ts';
import type { NodeChange, NodeView } from './views/node-view.ts';
import type { QueueSummaryView, QueueView } from './views/queue-view.ts';
import type { RunDetail, RunPage, RunView } from './views/run-view.ts';
import type { RecentRunsView, RunChangeView } from './views/recent-runs-view.ts';

/**
 * The answers of the operations are the API's views: each type is the output of the zod schema
 * the API's route answers with (`jobPageSchema`, `runPageSchema`...), so the two cannot drift.
 */
export type { AuditPage, EventPage, JobPage, LogPage, MonitorChange, NodeChange, PingPage, RunPage };
import type { RunStatsView } from './views/run-stats-view.ts';

/**
 * Who performs an operation: recorded in the audit log and in the runs it creates, and checked
 * against the jobs it may touch. An API token is one; the CLI on a store acts as `cli`.
 * (The scope of a token is checked by the API before an operation is called.)
 */
export interface Actor {
  readonly name: string;
  /** Job-name patterns the actor is limited to; empty for every job. */
  readonly jobs: readonly string[];
  readonly mayAccess: (job: string) => boolean;
  /** The public id of the API token acting, recorded with the jobs it writes. */
  readonly tokenId?: string;
}

export interface JobQuery {
  /** Jobs per page (default 100). */
  readonly limit?: number;
  /** `nextCursor` of the previous page: a job name. */
  readonly cursor?: string;
}

export interface RunQuery {
  readonly job?: string;
  /** One fan-out key (`""`: runs of jobs that do not fan out). */
  readonly key?: string;
  readonly status?: readonly RunStatus[];
  readonly trigger?: RunTrigger;
  /** Scheduled at or after (epoch ms). */
  readonly from?: number;
  /** Scheduled before (epoch ms). */
  readonly to?: number;
  /** Runs per page (default 50, at most 1000). */
  readonly limit?: number;
  readonly cursor?: number;
}

export interface MetricQuery {
  /** One fan-out key only; every key with values in the range when absent. */
  readonly key?: string;
  /** Reported at or after (epoch ms); default 30 days before `to`. */
  readonly from?: number;
  /** Reported before (epoch ms); default now. */
  readonly to?: number;
  /** The most points per key (10 to 2,000; default 500): a key with more is down-sampled. */
  readonly points?: number;
}

export interface RecentRunsQuery {
  /** These jobs only (each one the actor may touch); every job the actor may touch when absent. */
  readonly jobs?: readonly string[];
  /** Runs per job and fan-out key, newest first: 1 to 100 (default 50). */
  readonly perKey?: number;
}

export interface FollowRunsOptions {
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
}

export interface RunStatsQuery {
  /** Runs of this job only; every job when absent (an actor for every job only). */
  readonly job?: string;
  /** Scheduled at or after (epoch ms); default 30 days before `to`. */
  readonly from?: number;
  /** Scheduled before (epoch ms); default now. */
  readonly to?: number;
  /**
   * A bucket's width in milliseconds: at least a minute, at most 2,000 buckets in the range.
   * Chosen from the range when absent (the smallest of 1m, 5m, 15m, 1h, 6h, 1d, 7d giving at most 200).
   */
  readonly bucketMs?: number;
}

export interface FiresQuery {
  /** How many fires (1-100, default 10). */
  readonly count?: number;
  /** Fires strictly after this instant (epoch ms); default now. */
  readonly after?: number;
}

export interface TriggerOptions {
  /** Values for the parameters the job declares; `fan_key` picks one fan-out entry. */
  readonly params?: Readonly<Record<string, string>>;
  /** Sets CRONPLANE_DRY_RUN=1 and records the runs as dry runs. */
  readonly dryRun?: boolean;
  /** Runs even inside the job's `cooldown` (the run records it); refused there otherwise (`run.cooldown`). */
  readonly force?: boolean;
}

export interface EnqueueInput {
  /** The item: any JSON value; an object with the queue key field when the queue has a key. */
  readonly payload: unknown;
  /** Higher first among items released together (-1000 to 1000). */
  readonly priority?: number;
}

export interface LogQuery {
  /** Only chunks after this sequence number (`nextAfter` of a previous page). */
  readonly after?: number;
  /** Chunks per page (default and at most 1000). */
  readonly limit?: number;
}

export interface FollowOptions {
  /** Start after this sequence number. */
  readonly after?: number;
  /** Ends the iteration early. */
  readonly signal?: AbortSignal;
}

/** What following a run's output yields: its chunks as they come, then its end. */
export type LogEvent =
  | { readonly kind: 'log'; readonly chunk: LogChunkView }
  | {
      readonly kind: 'end';
      readonly status: string;
      readonly exitCode: number | null;
      readonly error: string | null;
    };

export interface EventQuery {
  readonly job?: string;
  readonly kind?: string;
  readonly severity?: readonly EventSeverity[];
  /** true: only events not resolved; false: only resolved ones; absent: both. */
  readonly open?: boolean;
  /** Events still seen at or after it (epoch ms). */
  readonly since?: number;
  /** Events first seen before it (epoch ms). */
  readonly until?: number;
  readonly limit?: number;
  readonly cursor?: number;
}

export interface PageQuery {
  readonly limit?: number;
  readonly cursor?: number;
}

export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly limit?: number;
  readonly cursor?: number;
}

export interface WriteOptions {
  /** Write only while the job's version is this one (If-Match); 0: only while no job has the name. */
  readonly ifMatch?: number;
}

/** One job of a bulk write. */
export interface JobPut {
  readonly name: string;
  readonly entry: unknown;
}

/**
 * Every operation a person or a program performs on cronplane, whoever carries it out: the
 * store and engine of this process (`LocalControl`) or a daemon's API (`HttpControl`). Answers
 * are the API's views (plain JSON values); refusals are `ControlError`s with the API's codes.
 */
export interface Control {
  /** Jobs of the job file in force, by name, with their pause state, next fire and latest run. */
  listJobs(query?: JobQuery): Promise<JobPage>;
  getJob(name: string): Promise<JobView>;
  /** Stops the job's schedule (and its queue's releases) until resumed; kept in the store. */
  pauseJob(name: string): Promise<JobView>;
  resumeJob(name: string): Promise<JobView>;
  /**
   * Creates or replaces a job defined through the API with a job-file entry: validated as the job
   * file's entry is (problems located by JSON pointer), stored as a new version (the same entry
   * again is `unchanged`), fired by the scheduler of every node. A job of the file is refused.
   */
  putJob(name: string, entry: unknown, options?: WriteOptions): Promise<JobWriteView>;
  /** Applies a JSON merge patch (RFC 7396) to an API job's entry, then writes it as `putJob` does. */
  patchJob(name: string, patch: unknown, options?: WriteOptions): Promise<JobWriteView>;
  /** Deletes an API job (a version too): its schedule stops on every node; its runs stay. */
  deleteJob(name: string, options?: WriteOptions): Promise<JobDeleteView>;
  /** Creates or replaces many API jobs in one transaction: all are written, or none. */
  putJobs(jobs: readonly JobPut[]): Promise<JobBatchView>;
  /**
   * Creates or replaces the instance `<template>.<key>` of a template of the job file: `body` is
   * `{ params, ...settings }` (any job setting but what runs), stored as an API job whose entry
   * names the template. Written as `putJob` writes it (If-Match too). A job that is no template: 409.
   */
  putInstance(template: string, key: string, body: unknown, options?: WriteOptions): Promise<JobWriteView>;
  /** The instances of a template in force, by key, each with its bound params and its state as a job. */
  listInstances(template: string): Promise<InstanceListView>;
  /** Deletes an instance as `deleteJob` deletes an API job: its schedule stops, its runs stay. */
  deleteInstance(template: string, key: string, options?: WriteOptions): Promise<JobDeleteView>;
  /** Every version of an API job, newest first, its deletes included. */
  listJobVersions(name: string): Promise<readonly JobVersionView[]>;
  /**
   * Every job defined through the API that the actor may see, at its version in force, its entry
   * as written (for `cronplane export`, which resolves the entries against its own job file):
   * every one stored, whether or not it resolves against the job file of the process that reads
   * them. Through a daemon, one request (`GET /api/job-entries`).
   */
  listApiJobEntries(): Promise<readonly ApiJobEntryView[]>;
  /**
   * The job's next fires from its calendar, each with the schedule that gives it; a paused job
   * still lists them and says it is paused.
   */
  listNextFires(name: string, query?: FiresQuery): Promise<JobFiresView>;
  /** Queues a run per fan-out entry now (trigger `api`); answers them at once. */
  triggerJob(name: string, options?: TriggerOptions): Promise<readonly RunView[]>;
  /** Adds an item to a queue job; it waits for a fire of the job to release it. */
  enqueue(name: string, input: EnqueueInput): Promise<RunView>;
  /**
   * Every queue job the actor may see, by name: items per key, the oldest waiting one, how many
   * are stuck (released and not claimed in time, or running past their lease or runtime).
   */
  listQueues(): Promise<readonly QueueSummaryView[]>;
  /** One queue job: its summary, the next items to drain and the stuck items. */
  getQueue(name: string): Promise<QueueView>;
  /** The metrics the job's runs reported (and its guards name), per fan-out key. */
  listJobMetrics(name: string): Promise<JobMetricsView>;
  /**
   * One metric of a job over a time range, per fan-out key, down-sampled when a key has more
   * values than `points`; with the job's guards on it and their events in the range.
   */
  getMetricHistory(name: string, metric: string, query?: MetricQuery): Promise<MetricHistoryView>;

  /** Runs, newest first, each with the metrics it reported; filters apply in the store's query. */
  listRuns(query?: RunQuery): Promise<RunPage>;
  /**
   * The last runs of each job and, for a job that fans out, of each of its keys (the strips of the
   * overview), in a compact form: one read however many jobs.
   */
  listRecentRuns(query?: RecentRunsQuery): Promise<RecentRunsView>;
  /**
   * Every run of the jobs the actor may touch as it is created or changes status, on any node
   * sharing the store, from now until `signal` aborts.
   */
  followRuns(options?: FollowRunsOptions): AsyncIterable<RunChangeView>;
  /** Runs counted per status per bucket of their scheduled time, in the database. */
  getRunStats(query?: RunStatsQuery): Promise<RunStatsView>;
  /** One run with its attempts, its changes of status and the numbers it reported. */
  getRun(id: number): Promise<RunDetail>;
  /** Queues the next attempt of a run that ended failed, critical, timed out, lost or cancelled. */
  retryRun(id: number): Promise<RunView>;
  /** Cancels a pending or running run (a running one is stopped by the node running it). */
  cancelRun(id: number): Promise<RunView>;
  readLogs(id: number, query?: LogQuery): Promise<LogPage>;
  /** The run's output as it comes, then its end; the iteration stops when the run has ended. */
  followLogs(id: number, options?: FollowOptions): AsyncIterable<LogEvent>;

  /** Events, newest first. */
  listEvents(query?: EventQuery): Promise<EventPage>;
  getEvent(id: number): Promise<EventView>;
  /** Closes an open event by hand; the channels told of it hear that it is resolved. */
  resolveEvent(id: number): Promise<EventView>;

  listMonitors(): Promise<readonly MonitorView[]>;
  getMonitor(name: string): Promise<MonitorView>;
  listMonitorPings(name: string, query?: PageQuery): Promise<PingPage>;
  pauseMonitor(name: string): Promise<MonitorChange>;
  resumeMonitor(name: string): Promise<MonitorChange>;

  /** Every change made through the control plane, newest first (an actor for every job only). */
  listAudit(query?: AuditQuery): Promise<AuditPage>;

  listNodes(): Promise<readonly NodeView[]>;
  /** The node claims no new runs, hands its leases over and stays up idle (an actor for every job only). */
  drainNode(name: string): Promise<NodeChange>;
}
