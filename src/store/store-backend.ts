/**
 * What a dialect folder provides (`sqlite/`, `postgres/` fill the same slots): a Kysely instance
 * for the SQL both dialects share, the migrator, and the hot-path operations whose SQL differs.
 * The shared store (`SqlStore`) is built on it.
 */
import type { Kysely } from 'kysely';
import type { RecentRunRecord, RecentRunsQuery } from './overview-records.ts';
import type { NewRun, RunRecord } from './run-record.ts';
import type { RunInsertValues } from './row-mapping.ts';
import type { RunStatus } from './run-status.ts';
import type { Database } from './schema.ts';
import type { StoreSignals } from './store-signals.ts';
import type { HeartbeatInput } from './node-records.ts';
import type { JobToSync, SyncJobsResult } from './store-records.ts';
import type {
  AcquireLeaseInput,
  AppendLogInput,
  AppendLogResult,
  ClaimRunsInput,
  InsertAndClaimResult,
  InsertRunsResult,
  MigrateResult,
  StoreDialect,
} from './store.ts';

/** A new run with its column values. */
export interface PreparedRun {
  readonly run: NewRun;
  readonly values: RunInsertValues;
}

/** One `finishRun` call, as batched into a single write. */
export interface FinishRunItem {
  readonly runId: number;
  readonly node: string;
  readonly status: RunStatus;
  readonly finishedAt: number;
  readonly exitCode: number | null;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly reason: string | null;
  /** Replaces `started_at` when not null. */
  readonly startedAt: number | null;
}

/** What a heartbeat's statement returns (see `sql/node-queries.ts`). */
export interface HeartbeatRow {
  readonly state: string;
  readonly leader_id: string | null;
  readonly leader_name: string | null;
  readonly leader_hash: string | null;
}

export interface StoreBackend {
  readonly dialect: StoreDialect;
  readonly db: Kysely<Database>;
  migrate(now: number): Promise<MigrateResult>;
  /** `Store.syncJobs`: each dialect's own writer, deciding alike (`sql/plan-job-sync.ts`). */
  syncJobs(jobs: readonly JobToSync[], at: number): Promise<SyncJobsResult>;
  /** Runs validated by `toRunInsertValues`; duplicates on fire_key are skipped and counted. */
  insertRuns(runs: readonly PreparedRun[]): Promise<InsertRunsResult>;
  /** Returns the claimed runs in claim order. */
  claimRuns(input: ClaimRunsInput): Promise<readonly RunRecord[]>;
  /** `Store.insertAndClaimRuns`: both in one transaction (runs prepared, claim checked, limit > 0). */
  insertAndClaimRuns(runs: readonly PreparedRun[], claim: ClaimRunsInput): Promise<InsertAndClaimResult>;
  /** One transaction; for each item, whether it finished the run. */
  finishRuns(items: readonly FinishRunItem[]): Promise<readonly boolean[]>;
  renewLeases(node: string, runIds: readonly number[], until: number): Promise<readonly number[]>;
  /** Undefined when the run does not exist. */
  appendLog(runId: number, input: AppendLogInput): Promise<AppendLogResult | undefined>;
  /** The last runs of each key, newest first per key, keys in the order given (checked query). */
  listRecentRuns(query: RecentRunsQuery): Promise<readonly RecentRunRecord[]>;
  /** One round trip that proves a write could begin now (SQLite: the write lock is free); no waiting. */
  probeWrite(): Promise<void>;
  /**
   * `Store.acquireLease` and `Store.heartbeatNode`, inputs checked by the store: every node sends
   * them every second or so, as statements prepared once (`node-beats.ts` of each dialect).
   */
  acquireLease(input: AcquireLeaseInput): Promise<boolean>;
  heartbeatNode(instanceId: string, input: HeartbeatInput): Promise<HeartbeatRow | undefined>;
  /** `Store.readChangeMark`: one statement whose answer changes with every committed write. */
  readChangeMark(): Promise<string>;
  /** Signals between the nodes on this store (checked inputs); closed by `destroy`. */
  readonly signals: StoreSignals;
  /** Closes the connection or pool (and the signals' connection). */
  destroy(): Promise<void>;
}
