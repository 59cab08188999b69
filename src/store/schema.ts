/**
 * The tables as Kysely sees them: column names and the types the drivers return. Booleans read
 * back as `0`/`1` on SQLite and as booleans on PostgreSQL; row mapping smooths that over.
 */
import type { Generated } from 'kysely';
import type { ApiJobVersionsTable, ApiJobsTable } from './api-job-schema.ts';

export type DbBoolean = boolean | number;

export interface JobsTable {
  name: string;
  config_hash: string;
  spec_json: string;
  paused: DbBoolean;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
}

export interface RunsTable {
  id: Generated<number>;
  job: string;
  fan_key: string;
  params_json: string;
  payload_json: string | null;
  trigger: string;
  requested_by: string | null;
  scheduled_at: number;
  run_after: number;
  priority: number;
  rate_key: string | null;
  queued_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempt: number;
  first_run_id: number | null;
  status: string;
  status_reason: string | null;
  status_seq: number;
  exit_code: number | null;
  http_status: number | null;
  error: string | null;
  dry_run: DbBoolean;
  node: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  fire_key: string | null;
  log_seq: number;
  log_bytes: number;
  log_truncated: DbBoolean;
  /** JSON of the secret parameters' values; set only while the run is pending or running. */
  secret_params: string | null;
  /**
   * The job's `cooldown` when the run was planned (migration 019), null for a job without one:
   * only runs with one are in `runs_last_start`, which `cooldown` reads.
   */
  cooldown_ms: number | null;
}

export interface RunTransitionsTable {
  /** Grows with every row written (migration 011): the order the live stream of run changes follows. */
  id: Generated<number>;
  run_id: number;
  seq: number;
  at: number;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  node: string | null;
}

/**
 * PostgreSQL only (migration 025): each fire key recorded, once. SQLite keeps fire keys unique
 * with a partial unique index on `runs.fire_key` instead.
 */
export interface RunFireKeysTable {
  fire_key: string;
}

export interface RunLogsTable {
  run_id: number;
  seq: number;
  at: number;
  stream: string;
  chunk: string;
}

export interface RunMetricsTable {
  run_id: number;
  job: string;
  fan_key: string;
  name: string;
  value: number;
  at: number;
}

export interface EventsTable {
  id: Generated<number>;
  kind: string;
  job: string | null;
  run_id: number | null;
  severity: string;
  dedup_key: string;
  first_seen: number;
  last_seen: number;
  count: number;
  resolved_at: number | null;
  details_json: string;
  notified_at: number | null;
}

export interface MonitorsTable {
  name: string;
  ping_id: string;
  status: string;
  last_ping_at: number | null;
  last_start_at: number | null;
  last_success_at: number | null;
  last_failure_at: number | null;
  status_changed_at: number;
  created_at: number;
  removed_at: number | null;
  paused: DbBoolean;
  paused_at: number | null;
  resumed_at: number | null;
}

export interface MonitorPingsTable {
  id: Generated<number>;
  monitor: string;
  kind: string;
  at: number;
  exit_code: number | null;
  run_key: string | null;
  duration_ms: number | null;
  body: string | null;
  body_truncated: DbBoolean;
  source: string | null;
}

export interface ScheduleStateTable {
  job: string;
  last_fire_at: number | null;
  next_fire_at: number | null;
}

export interface LeasesTable {
  name: string;
  owner: string;
  expires_at: number;
  /** When the owner took it; kept by its renewals (migration 023). */
  taken_at: Generated<number>;
}

export interface NodesTable {
  instance_id: string;
  name: string;
  host: string;
  process_scope: string;
  pid: number;
  version: string;
  started_at: number;
  heartbeat_at: number;
  stale_ms: number;
  config_hash: string;
  tags_json: string;
  slots: number;
  slots_in_use: number;
  role: string;
  state: string;
  state_changed_at: number;
  state_reason: string | null;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  jobs: JobsTable;
  runs: RunsTable;
  run_transitions: RunTransitionsTable;
  run_fire_keys: RunFireKeysTable;
  run_logs: RunLogsTable;
  run_metrics: RunMetricsTable;
  events: EventsTable;
  monitors: MonitorsTable;
  monitor_pings: MonitorPingsTable;
  schedule_state: ScheduleStateTable;
  leases: LeasesTable;
  nodes: NodesTable;
  cp_migrations: MigrationsTable;
  /** Jobs defined through the API and every version of them (migration 016). */
  api_jobs: ApiJobsTable;
  api_job_versions: ApiJobVersionsTable;
}

/** A `runs` row as selected. */
export interface RunRow {
  readonly id: number;
  readonly job: string;
  readonly fan_key: string;
  readonly params_json: string;
  readonly payload_json: string | null;
  readonly trigger: string;
  readonly requested_by: string | null;
  readonly scheduled_at: number;
  readonly run_after: number;
  readonly priority: number;
  readonly rate_key: string | null;
  readonly queued_at: number;
  readonly started_at: number | null;
  readonly finished_at: number | null;
  readonly attempt: number;
  readonly first_run_id: number | null;
  readonly status: string;
  readonly status_reason: string | null;
  readonly status_seq: number;
  readonly exit_code: number | null;
  readonly http_status: number | null;
  readonly error: string | null;
  readonly dry_run: DbBoolean;
  readonly node: string | null;
  readonly lease_owner: string | null;
  readonly lease_expires_at: number | null;
  readonly fire_key: string | null;
  readonly log_seq: number;
  readonly log_bytes: number;
  readonly log_truncated: DbBoolean;
  readonly secret_params: string | null;
}
