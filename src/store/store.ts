/**
 * The store contract: everything the scheduler, the workers, the API and the CLI ask of the
 * database. One implementation serves SQLite and PostgreSQL; the contract suite in
 * `test/store/store-contract.ts` runs against both.
 *
 * Times are epoch milliseconds passed in by the caller (the store never reads a clock), so a
 * fixed reference clock drives tests and every node's idea of "now" is explicit.
 */
import type { LogChunk, LogStream, NewRun, RunRecord, RunTransition, RunTrigger } from './run-record.ts';
import type { RunStatus } from './run-status.ts';
import type {
  MetricHistory,
  MetricHistoryQuery,
  MetricSeriesRecord,
  RunCountBucket,
  RunCountQuery,
} from './history-records.ts';
import type { StoreSignals } from './store-signals.ts';
import type {
  ApiJobChangesQuery,
  ApiJobRecord,
  ApiJobVersion,
  ApiJobWrite,
  DeleteApiJobInput,
  PutApiJobInput,
} from './api-job-records.ts';
import type { ApiJobBatch } from './api-job-records.ts';
import type {
  RecentRunRecord,
  RecentRunsQuery,
  RunChangeRecord,
  RunChangesQuery,
  RunKey,
} from './overview-records.ts';
import type {
  ApiTokenRecord,
  AuditEntry,
  AuditPage,
  ListAuditQuery,
  ListHeldRunsQuery,
  ListOverdueRunsQuery,
  NewApiToken,
  NewAuditEntry,
  RateKeyCount,
  ReleaseRunsInput,
} from './api-records.ts';
import type {
  AppliedMigration,
  EventRecord,
  EventSeverity,
  JobToSync,
  JobRecord,
  LeaseRecord,
  MetricPoint,
  NewEvent,
  PruneHistoryInput,
  PruneHistoryResult,
  ScheduleState,
  SyncJobsResult,
} from './store-records.ts';
import type {
  DrainNodeResult,
  HeartbeatInput,
  HeartbeatResult,
  NewNode,
  NodeRecord,
  RegisterNodeResult,
} from './node-records.ts';
import type {
  ListPingsQuery,
  MonitorRecord,
  MonitorStatus,
  NewPing,
  PingPage,
  RecordPingResult,
  SetMonitorPausedResult,
  SyncMonitorsResult,
} from './monitor-records.ts';

export const StoreDialect = {
  sqlite: 'sqlite',
  postgres: 'postgres',
} as const;
export type StoreDialect = keyof typeof StoreDialect;

export interface MigrateResult {
  /** Migrations this call applied, oldest first; empty when the schema was current. */
  readonly applied: readonly { readonly version: number; readonly name: string }[];
}

export interface InsertRunsResult {
  /** The runs recorded, in id order. */
  readonly inserted: readonly RunRecord[];
  /** Runs not recorded because a run with the same fire key exists. */
  readonly duplicates: number;
}

/** `insertAndClaimRuns`: the runs recorded, and the runs the same transaction claimed. */
export interface InsertAndClaimResult extends InsertRunsResult {
  /** The runs claimed, in claim order (`claimRuns`'s): those just recorded among them when due. */
  readonly claimed: readonly RunRecord[];
}

export interface ClaimRunsInput {
  readonly node: string;
  readonly now: number;
  readonly limit: number;
  /** The lease runs for `leaseMs` from `now`; renew it while the run goes on. */
  readonly leaseMs: number;
  /** Claim only runs of these jobs (node tags, a job's own worker). */
  readonly jobs?: readonly string[];
  /** Leave these alone: jobs at their concurrency limit, rate keys at their rate limit. */
  readonly exclude?: { readonly jobs?: readonly string[]; readonly rateKeys?: readonly string[] };
  /** Claim only these runs (`cronplane run` claims the run it just queued). */
  readonly runIds?: readonly number[];
  /**
   * Also claim runs due within this many milliseconds after `now` (default 0): the worker holds
   * them and starts each at its `run_after`, which the claim records as its `started_at`.
   */
  readonly aheadMs?: number;
}

export interface FinishRunInput {
  /** One of the statuses that may follow `running`. */
  readonly status: RunStatus;
  readonly finishedAt: number;
  readonly exitCode?: number | null;
  readonly httpStatus?: number | null;
  readonly error?: string | null;
  readonly reason?: string | null;
  /**
   * When the work began, if not when the claim said (a run claimed ahead starts at its due time,
   * which a timer may miss by a little; a run cancelled before it began gives its end).
   */
  readonly startedAt?: number;
}

export interface TransitionRunInput {
  /** The status the run must be in (compare-and-set). */
  readonly from: RunStatus;
  readonly to: RunStatus;
  readonly at: number;
  readonly node?: string | null;
  readonly reason?: string | null;
  readonly error?: string | null;
}

export interface CancelRunInput {
  readonly at: number;
  readonly node?: string | null;
  readonly reason?: string | null;
}

export interface AppendLogInput {
  readonly stream: LogStream;
  readonly chunk: string;
  readonly at: number;
  /** Set when the caller cut output at its cap; the run then shows `logTruncated`. */
  readonly truncated?: boolean;
}

export interface AppendLogResult {
  readonly seq: number;
  /** Bytes (UTF-8) of output the run has stored, this chunk included. */
  readonly logBytes: number;
}

export interface ReadLogsOptions {
  /** Chunks after this sequence number (for following a live log). */
  readonly afterSeq?: number;
  readonly limit?: number;
}

export interface ListRunsQuery {
  readonly job?: string;
  /** One fan-out key (`""` for the runs of a job that does not fan out). */
  readonly fanKey?: string;
  /** One queue key (the rate key a queue item carries: an organisation). */
  readonly rateKey?: string;
  readonly status?: RunStatus | readonly RunStatus[];
  readonly trigger?: RunTrigger;
  /** Scheduled at or after. */
  readonly from?: number;
  /** Scheduled before. */
  readonly to?: number;
  /** Default 50, at most 1,000. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: number | null;
  /** Read the numbers each run reported in the same query (`RunPage.metrics`). */
  readonly withMetrics?: boolean;
}

export interface RunPage {
  /** Newest first (id descending). */
  readonly runs: readonly RunRecord[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: number | null;
  /**
   * With `withMetrics`: the numbers each run of the page reported, by run id, as
   * `listRunMetrics` answers them (a run that reported none is left out).
   */
  readonly metrics?: ReadonlyMap<number, Readonly<Record<string, number>>>;
}

export interface ActiveRunCount {
  readonly job: string;
  readonly pending: number;
  readonly running: number;
}

/**
 * The last start of a job's key: the latest `started_at` of its first attempts, or the time a
 * pending one is due. Held items, skipped fires, retries and runs cancelled before they started
 * do not count.
 */
export interface RunStart extends RunKey {
  readonly startedAt: number;
}

/**
 * What a cooldown decision starts (`Store.startRunsInCooldown`): runs to record (fires, chained
 * starts, triggers, skipped fires among them) and held runs to release (queue items).
 */
export interface CooldownStarts {
  readonly runs: readonly NewRun[];
  readonly release?: { readonly runIds: readonly number[]; readonly input: ReleaseRunsInput };
}

export interface StartRunsResult extends InsertRunsResult {
  /** The held runs released, ascending (a run no longer held is left out). */
  readonly released: readonly number[];
}

export interface AcquireLeaseInput {
  readonly name: string;
  readonly owner: string;
  readonly now: number;
  readonly until: number;
}

export interface ListEventsQuery {
  readonly job?: string;
  readonly kind?: string;
  /** Only events with this dedup key (an incident's history: cool-downs, flapping). */
  readonly dedupKey?: string;
  /** Only events of these severities. */
  readonly severities?: readonly EventSeverity[];
  /** true: only events not yet resolved; false: only resolved ones; absent: both. */
  readonly open?: boolean;
  /** Only events still seen at or after this instant (last seen >= since). */
  readonly since?: number;
  /** Only events first seen before this instant (first seen < until). */
  readonly until?: number;
  readonly limit?: number;
  readonly cursor?: number | null;
}

export interface EventPage {
  readonly events: readonly EventRecord[];
  readonly nextCursor: number | null;
}

export interface ListMetricsQuery {
  readonly job: string;
  readonly name?: string;
  readonly fanKey?: string;
  /** Only numbers of runs now in this status (or one of these): a guard's baseline reads `succeeded`. */
  readonly runStatus?: RunStatus | readonly RunStatus[];
  /** Leave this run's numbers out (the run a guard is judging is not its own history). */
  readonly excludeRunId?: number;
  /** Newest first; default 100. */
  readonly limit?: number;
}

/**
 * Everything below, plus `signal`/`onSignal` (`store-signals.ts`): wake-ups between the nodes
 * sharing the store.
 */
export interface Store extends AsyncDisposable, StoreSignals {
  readonly dialect: StoreDialect;

  /** Applies pending migrations, each in its own transaction. `openStore` does this already. */
  migrate(now?: number): Promise<MigrateResult>;
  listMigrations(): Promise<readonly AppliedMigration[]>;

  /** Makes the jobs table match the job file: adds, updates changed hashes, marks the rest removed. */
  syncJobs(jobs: readonly JobToSync[], at: number): Promise<SyncJobsResult>;
  getJob(name: string): Promise<JobRecord | undefined>;
  listJobs(options?: { readonly includeRemoved?: boolean }): Promise<readonly JobRecord[]>;
  /** False when there is no such job. */
  setJobPaused(name: string, paused: boolean, at: number): Promise<boolean>;
  /** The names of the paused jobs (not removed), without reading their specs. */
  listPausedJobs(): Promise<readonly string[]>;

  /** Queues runs in one batch; a run whose fire key exists is counted as a duplicate, not an error. */
  insertRuns(runs: readonly NewRun[]): Promise<InsertRunsResult>;
  /**
   * Claims due pending runs (run_after <= now + aheadMs): priority first, then oldest run_after,
   * then id. Each run is claimed exactly once, even by racing nodes. A claimed run's `started_at`
   * is the later of `now` and its `run_after`.
   */
  claimRuns(input: ClaimRunsInput): Promise<readonly RunRecord[]>;
  /**
   * `insertRuns` then `claimRuns` in one transaction: the claim sees the runs just recorded and
   * takes due runs in its own order and with its own filters, these among them. A worker that
   * queues runs it may run itself starts them after one durable commit instead of two. Nothing is
   * written when either part fails; a malformed claim is refused before anything is written.
   */
  insertAndClaimRuns(runs: readonly NewRun[], claim: ClaimRunsInput): Promise<InsertAndClaimResult>;
  /** False when the run is no longer running under this node's lease (cancelled, lost). */
  renewLease(runId: number, node: string, until: number): Promise<boolean>;
  /** Renews many leases in one statement; returns the ids still held. */
  renewLeases(node: string, runIds: readonly number[], until: number): Promise<readonly number[]>;
  /**
   * Records the outcome of a run this node is running. False when it is not (another node's,
   * cancelled, lost). Calls made together are written in one transaction.
   */
  finishRun(runId: number, node: string, input: FinishRunInput): Promise<boolean>;
  /** Compare-and-set of a run's status; false when the run was not in `from`. */
  transitionRun(runId: number, input: TransitionRunInput): Promise<boolean>;
  /** Cancels a pending or running run; false when it already ended. */
  cancelRun(runId: number, input: CancelRunInput): Promise<boolean>;
  /** Running runs whose lease expired before `now` become `lost`; returns them. */
  expireLeases(now: number, node?: string | null): Promise<readonly RunRecord[]>;

  appendLog(runId: number, input: AppendLogInput): Promise<AppendLogResult>;
  readLogs(runId: number, options?: ReadLogsOptions): Promise<readonly LogChunk[]>;
  /** Stores numbers a run reported (a name reported again replaces its value); returns how many. */
  recordMetrics(runId: number, values: Readonly<Record<string, number>>, at: number): Promise<number>;
  listMetrics(query: ListMetricsQuery): Promise<readonly MetricPoint[]>;

  getRun(id: number): Promise<RunRecord | undefined>;
  getRunOrThrow(id: number): Promise<RunRecord>;
  listRuns(query?: ListRunsQuery): Promise<RunPage>;
  listTransitions(runId: number): Promise<readonly RunTransition[]>;
  /** Pending and running runs per job (jobs with none are left out). */
  countActiveRuns(jobs?: readonly string[]): Promise<readonly ActiveRunCount[]>;
  /**
   * The last start of each key (`cooldown` measures from it), in the order given; keys with none
   * are left out. One index walk per key (`runs_last_start`), whatever the history.
   */
  lastRunStarts(keys: readonly RunKey[]): Promise<readonly RunStart[]>;
  /**
   * Starts runs that the keys' `cooldown` decides, atomically per job and fan-out key: inside one
   * write transaction holding each key's lock (PostgreSQL: an advisory lock per key; SQLite: the
   * write lock), reads the keys' last starts, calls `decide` with them, inserts the runs it answers
   * and releases the held runs it names. Two calls for one key at once run in turn, so the second
   * sees the first's start. A throw from `decide` refuses: nothing is written. Every start of a
   * cooldown job comes here (fires, chained starts, triggers, queue releases); other runs go
   * through `insertRuns` and `releaseHeldRuns`.
   */
  startRunsInCooldown(
    keys: readonly RunKey[],
    decide: (starts: readonly RunStart[]) => CooldownStarts,
  ): Promise<StartRunsResult>;
  /** The earliest run_after of pending runs (when a worker should look again), or null. */
  nextPendingRunAfter(jobs?: readonly string[]): Promise<number | null>;

  getScheduleState(job: string): Promise<ScheduleState | undefined>;
  listScheduleStates(): Promise<readonly ScheduleState[]>;
  setScheduleState(state: ScheduleState): Promise<void>;
  setScheduleStates(states: readonly ScheduleState[]): Promise<void>;
  /**
   * Writes schedule states only while `lease.owner` holds the lease `lease.name` (expired or
   * not, as long as nobody took it); false, and nothing written, once another owner has it.
   */
  setScheduleStatesAsHolder(
    lease: { readonly name: string; readonly owner: string },
    states: readonly ScheduleState[],
  ): Promise<boolean>;

  /**
   * Takes or renews a named lease; false while another owner holds it unexpired and is alive (an
   * owner whose node row is stopped, or silent past its `staleMs`, has lost it).
   */
  acquireLease(input: AcquireLeaseInput): Promise<boolean>;
  /** Gives a lease up; false when `owner` did not hold it. */
  releaseLease(name: string, owner: string): Promise<boolean>;
  getLease(name: string): Promise<LeaseRecord | undefined>;

  // Nodes (daemon processes): identity, heartbeat, drain.

  /**
   * Records a starting process `running`. Live rows of its name whose heartbeat is older than
   * their `staleMs` are marked stopped first; if another live process still has the name, nothing
   * is written and it is answered as `holder`.
   */
  registerNode(node: NewNode): Promise<RegisterNodeResult>;
  /**
   * A node's heartbeat (one UPDATE): answers its state and the live leader, or undefined when the
   * node is stopped (it was found gone) or unknown.
   */
  heartbeatNode(instanceId: string, input: HeartbeatInput): Promise<HeartbeatResult | undefined>;
  /** `running → draining` for the live node of `name`; undefined when no live node has that name. */
  drainNode(name: string, at: number, reason: string): Promise<DrainNodeResult | undefined>;
  /** Marks a node stopped (clean stop, or found gone); false when it was stopped already. */
  stopNode(instanceId: string, at: number, reason: string): Promise<boolean>;
  /** Nodes not stopped, and stopped ones heard from since `stoppedSince` (every one when absent). */
  listNodes(options?: { readonly stoppedSince?: number }): Promise<readonly NodeRecord[]>;

  /** Records an event, or counts a repeat of the open event with the same dedup key. */
  recordEvent(event: NewEvent): Promise<EventRecord>;
  /** Resolves the open event with this dedup key; returns how many were resolved (0 or 1). */
  resolveEvent(dedupKey: string, at: number): Promise<number>;
  /** Resolves this event if it is still open (a manual resolve); false when it was not open. */
  resolveEventById(id: number, at: number): Promise<boolean>;
  listEvents(query?: ListEventsQuery): Promise<EventPage>;
  /** The open event with this dedup key, if any. */
  getOpenEvent(dedupKey: string): Promise<EventRecord | undefined>;
  getEvent(id: number): Promise<EventRecord | undefined>;
  /** Records that people were told about an event (its opening or a reminder). False when no such event. */
  markEventNotified(id: number, at: number): Promise<boolean>;
  /** Open events per severity (for `/readyz`), e.g. `{ critical: 2 }`; severities with none are left out. */
  countOpenEvents(): Promise<Readonly<Partial<Record<EventSeverity, number>>>>;

  // External monitors and their pings.

  /**
   * Makes the monitors table match the job file: adds new names with a fresh unguessable ping id
   * (32 random hex characters), brings removed ones back with their old id, marks the rest removed.
   */
  syncMonitors(names: readonly string[], at: number): Promise<SyncMonitorsResult>;
  getMonitor(name: string): Promise<MonitorRecord | undefined>;
  /** Removed monitors too (check `removedAt`): a ping URL that stopped working can say why. */
  getMonitorByPingId(pingId: string): Promise<MonitorRecord | undefined>;
  listMonitors(options?: { readonly includeRemoved?: boolean }): Promise<readonly MonitorRecord[]>;
  /**
   * Stores a ping and moves its monitor in one transaction: `start` sets lastStartAt; `success` and
   * `exit` 0 bring it up (lastSuccessAt); `fail` and `exit` != 0 take it down (lastFailureAt). An
   * end ping's duration runs from the start ping with the same runKey (or, without one, the last
   * start since the previous end). Undefined for an unknown or removed ping id (nothing stored).
   */
  recordPing(ping: NewPing): Promise<RecordPingResult | undefined>;
  /**
   * Compare-and-set of a monitor's status (a watcher taking it down for a late ping), setting
   * statusChangedAt; false when it was not `from`, is paused, is removed or does not exist.
   * `from` = `to` is refused.
   */
  setMonitorStatus(name: string, from: MonitorStatus, to: MonitorStatus, at: number): Promise<boolean>;
  /**
   * Pauses (sets pausedAt) or resumes (clears it, sets resumedAt) a monitor by a compare-and-set on
   * its flag; `changed` is false when it already was as asked (nothing written). Its status is
   * left as it is. Undefined for an unknown or removed monitor.
   */
  setMonitorPaused(name: string, paused: boolean, at: number): Promise<SetMonitorPausedResult | undefined>;
  listPings(query: ListPingsQuery): Promise<PingPage>;

  // Retention.

  /**
   * Removes up to `limit` of each: runs that finished before `runsFinishedBefore` (transitions,
   * output and metrics with them; events keep their record without the run), the output of runs
   * that finished before `logsFinishedBefore` (the run stays, marked truncated), and pings before
   * `pingsBefore`. Pending and running runs are never removed. Call again while a part returns
   * `limit`.
   */
  pruneHistory(input: PruneHistoryInput): Promise<PruneHistoryResult>;

  // Queues and run details (the HTTP API).

  /** Held runs of one job, oldest first (a queue's waiting items in the order they drain). */
  listHeldRuns(query: ListHeldRunsQuery): Promise<readonly RunRecord[]>;
  /** Held, pending and running runs of one job per rate key, by rate key. */
  countActiveRunsByKey(job: string): Promise<readonly RateKeyCount[]>;
  /** Pending and running runs of one job overdue in their status (see the query), oldest first. */
  listOverdueRuns(query: ListOverdueRunsQuery): Promise<readonly RunRecord[]>;
  /**
   * Releases held runs: `held → pending` due at `at`, a compare-and-set on the status with a
   * transition row each; returns the ids released (a run no longer held is left out).
   */
  releaseHeldRuns(runIds: readonly number[], input: ReleaseRunsInput): Promise<readonly number[]>;
  /** The newest run of each of these jobs (jobs with no runs are left out), in the order given. */
  latestRuns(jobs: readonly string[]): Promise<readonly RunRecord[]>;
  /** A run's first attempt and its retries, by attempt. */
  listAttempts(firstRunId: number): Promise<readonly RunRecord[]>;
  /** The numbers one run reported, by name. */
  getRunMetrics(runId: number): Promise<Readonly<Record<string, number>>>;
  /** The numbers each of these runs reported, by run id (a run that reported none is left out). */
  listRunMetrics(runIds: readonly number[]): Promise<ReadonlyMap<number, Readonly<Record<string, number>>>>;

  // History for charts (see history-records.ts).

  /** Every metric the job's runs reported, per fan-out key, by name then key. */
  listMetricSeries(job: string): Promise<readonly MetricSeriesRecord[]>;
  /**
   * One metric over [from, to), by key then time: the values as reported when no key has more
   * than `maxPoints` in the range, else buckets of one width (count, min, max, mean, last).
   */
  readMetricHistory(query: MetricHistoryQuery): Promise<MetricHistory>;
  /** Runs scheduled in [from, to) counted per status per bucket, computed in the database. */
  countRunsByBucket(query: RunCountQuery): Promise<readonly RunCountBucket[]>;

  // The overview (see overview-records.ts).

  /** The last `perKey` runs of each job and fan-out key: newest first per key, keys in the order given. */
  listRecentRuns(query: RecentRunsQuery): Promise<readonly RecentRunRecord[]>;
  /**
   * Changes of status (transition rows) with an id above `afterId`, and those of `alsoIds`, by id:
   * every run created or moved, on any node. Ids grow as rows are written; on PostgreSQL a row may
   * commit after one with a higher id, so a follower looks again for the ids it skipped.
   */
  readRunChanges(query: RunChangesQuery): Promise<readonly RunChangeRecord[]>;
  /** The newest change's id (0 when none): where a follower of run changes starts. */
  lastRunChangeId(): Promise<number>;

  // API tokens (only hashes are stored) and the audit log.

  /** Fails with `store.conflict` when a token that is not revoked has the name. */
  createApiToken(token: NewApiToken): Promise<ApiTokenRecord>;
  getApiToken(id: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(options?: { readonly includeRevoked?: boolean }): Promise<readonly ApiTokenRecord[]>;
  /** False when no token of that name is active. */
  revokeApiToken(name: string, at: number): Promise<boolean>;
  // Jobs defined through the API (see api-job-records.ts).

  /**
   * Creates or replaces jobs in one transaction, each a compare-and-set on its version: when one
   * is stale (`ifMatch` is not its version) nothing is written. The same entry as the current
   * version is `unchanged` (no new version). Each job's row in `jobs` follows (pause state kept).
   */
  putApiJobs(inputs: readonly PutApiJobInput[]): Promise<ApiJobBatch>;
  /** Deletes a job (a version too); `absent` when no job has the name, `stale` on a version mismatch. */
  deleteApiJob(input: DeleteApiJobInput): Promise<ApiJobWrite>;
  /** The job in force with that name; undefined when never written or deleted. */
  getApiJob(name: string): Promise<ApiJobRecord | undefined>;
  /** Every API job in force, by name. */
  listApiJobs(): Promise<readonly ApiJobRecord[]>;
  /** Every version of one job, newest first, its deletes included. */
  listApiJobVersions(name: string): Promise<readonly ApiJobVersion[]>;
  /**
   * Versions written after `afterId` (and those of `alsoIds`), by id: how a node applies changes
   * made on another. On PostgreSQL a row may commit after one with a higher id.
   */
  readApiJobChanges(query: ApiJobChangesQuery): Promise<readonly ApiJobVersion[]>;
  /** The newest version's id (0 when none). */
  lastApiJobChangeId(): Promise<number>;

  /** Records when a token was last used. */
  touchApiToken(id: string, at: number): Promise<void>;
  recordAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(query?: ListAuditQuery): Promise<AuditPage>;

  /**
   * A cheap check that a write could be made now (for `/readyz`): SQLite takes and gives back the
   * write lock without waiting for it; PostgreSQL makes a round trip. Throws the store's error.
   */
  probeWrite(): Promise<void>;

  /**
   * A mark of the store's committed data, read in one cheap statement: two reads give the same
   * mark only if nothing was written in between, by this process or any other (another node,
   * the CLI); it may also change when nothing a reader sees did (PostgreSQL: a write anywhere on
   * the server). Read it before the data it vouches for. What caches of answers are checked by.
   */
  readChangeMark(): Promise<string>;

  /** Closes the database (pool or file), after writing finishes already asked for. Idempotent. */
  release(): Promise<void>;
}
