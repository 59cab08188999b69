/**
 * Rows in, records out (and new runs in, column values out): the one place that knows how the
 * tables spell what the records say. Both dialects return the same column names; SQLite gives
 * booleans as 0/1.
 */
import { CronplaneError } from '../errors/index.ts';
import type { JsonValue, LogChunk, NewRun, RunRecord, RunTransition } from './run-record.ts';
import { isLogStream, isRunTrigger, RunTrigger } from './run-record.ts';
import { assertRunStatus, initialRunStatuses, isTerminalRunStatus } from './run-status.ts';
import type { RunStatus } from './run-status.ts';
import type { DbBoolean, RunRow } from './schema.ts';
import { SecretParams } from './secret-params.ts';
import type { EventRecord, JobRecord, LeaseRecord, MetricPoint, ScheduleState } from './store-records.ts';
import { EventSeverity, isEventSeverity } from './store-records.ts';
import type { MonitorRecord, PingRecord } from './monitor-records.ts';
import { isMonitorStatus, isPingKind, MonitorStatus, PingKind } from './monitor-records.ts';

export function toBoolean(value: DbBoolean): boolean {
  return value === true || value === 1;
}

function parseJson(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

export function toRunRecord(row: RunRow): RunRecord {
  const trigger = row.trigger;
  if (!isRunTrigger(trigger)) throw corrupt('runs', row.id, 'trigger', trigger);
  return {
    id: row.id,
    job: row.job,
    fanKey: row.fan_key,
    params: JSON.parse(row.params_json) as Record<string, string>,
    payload: parseJson(row.payload_json),
    trigger,
    requestedBy: row.requested_by,
    scheduledAt: row.scheduled_at,
    runAfter: row.run_after,
    priority: row.priority,
    rateKey: row.rate_key,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    attempt: row.attempt,
    firstRunId: row.first_run_id,
    status: assertRunStatus(row.status, `runs[${row.id}].status`),
    statusReason: row.status_reason,
    statusSeq: row.status_seq,
    exitCode: row.exit_code,
    httpStatus: row.http_status,
    error: row.error,
    dryRun: toBoolean(row.dry_run),
    node: row.node,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    fireKey: row.fire_key,
    logBytes: row.log_bytes,
    logTruncated: toBoolean(row.log_truncated),
    ...(row.secret_params === null || row.secret_params === undefined
      ? {}
      : { secretParams: SecretParams.fromColumn(row.secret_params) as SecretParams }),
  };
}

/** Every column of `runs`, in table order (for selects that read rows as arrays). */
export const runColumns = [
  'id',
  'job',
  'fan_key',
  'params_json',
  'payload_json',
  'trigger',
  'requested_by',
  'scheduled_at',
  'run_after',
  'priority',
  'rate_key',
  'queued_at',
  'started_at',
  'finished_at',
  'attempt',
  'first_run_id',
  'status',
  'status_reason',
  'status_seq',
  'exit_code',
  'http_status',
  'error',
  'dry_run',
  'node',
  'lease_owner',
  'lease_expires_at',
  'fire_key',
  'log_seq',
  'log_bytes',
  'log_truncated',
  'secret_params',
] as const satisfies readonly (keyof RunRow)[];

/**
 * A row read as an array in `runColumns` order. Written out as one literal, so every row has the
 * same shape (adding 31 keys one at a time made each row a slow dictionary object).
 */
export function runRowFromArray(values: readonly unknown[]): RunRow {
  return {
    id: values[0],
    job: values[1],
    fan_key: values[2],
    params_json: values[3],
    payload_json: values[4],
    trigger: values[5],
    requested_by: values[6],
    scheduled_at: values[7],
    run_after: values[8],
    priority: values[9],
    rate_key: values[10],
    queued_at: values[11],
    started_at: values[12],
    finished_at: values[13],
    attempt: values[14],
    first_run_id: values[15],
    status: values[16],
    status_reason: values[17],
    status_seq: values[18],
    exit_code: values[19],
    http_status: values[20],
    error: values[21],
    dry_run: values[22],
    node: values[23],
    lease_owner: values[24],
    lease_expires_at: values[25],
    fire_key: values[26],
    log_seq: values[27],
    log_bytes: values[28],
    log_truncated: values[29],
    secret_params: values[30],
  } as unknown as RunRow;
}

/**
 * The record of a run just inserted, built from what was inserted and the table's defaults
 * instead of read back (reading 30 columns back costs more than the insert). The contract suite
 * checks it equals what `getRun` reads.
 */
export function insertedRunRecord(id: number, values: RunInsertValues, run: NewRun): RunRecord {
  return {
    id,
    job: values[0],
    fanKey: values[1],
    params: run.params ?? {},
    payload: run.payload ?? null,
    trigger: values[4] as RunRecord['trigger'],
    requestedBy: values[5],
    scheduledAt: values[6],
    runAfter: values[7],
    priority: values[8],
    rateKey: values[9],
    queuedAt: values[10],
    startedAt: null,
    finishedAt: values[18],
    attempt: values[11],
    firstRunId: values[12],
    status: values[15],
    statusReason: values[16],
    statusSeq: 1,
    exitCode: null,
    httpStatus: null,
    error: values[17],
    dryRun: values[13],
    node: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    fireKey: values[14],
    logBytes: 0,
    logTruncated: false,
    ...(values[19] === null ? {} : { secretParams: run.secretParams as SecretParams }),
  };
}

/** Claim order: priority first, then the oldest earliest-start, then id. */
export function compareClaimOrder(a: RunRecord, b: RunRecord): number {
  return b.priority - a.priority || a.runAfter - b.runAfter || a.id - b.id;
}

export interface TransitionRow {
  readonly run_id: number;
  readonly seq: number;
  readonly at: number;
  readonly from_status: string | null;
  readonly to_status: string;
  readonly reason: string | null;
  readonly node: string | null;
}

export function toRunTransition(row: TransitionRow): RunTransition {
  return {
    runId: row.run_id,
    seq: row.seq,
    at: row.at,
    from: row.from_status === null ? null : assertRunStatus(row.from_status, 'run_transitions.from_status'),
    to: assertRunStatus(row.to_status, 'run_transitions.to_status'),
    reason: row.reason,
    node: row.node,
  };
}

export function toLogChunk(row: {
  readonly run_id: number;
  readonly seq: number;
  readonly at: number;
  readonly stream: string;
  readonly chunk: string;
}): LogChunk {
  if (!isLogStream(row.stream)) throw corrupt('run_logs', row.run_id, 'stream', row.stream);
  return { runId: row.run_id, seq: row.seq, at: row.at, stream: row.stream, chunk: row.chunk };
}

export function toJobRecord(row: {
  readonly name: string;
  readonly config_hash: string;
  readonly spec_json: string;
  readonly paused: DbBoolean;
  readonly created_at: number;
  readonly updated_at: number;
  readonly removed_at: number | null;
}): JobRecord {
  return {
    name: row.name,
    configHash: row.config_hash,
    spec: JSON.parse(row.spec_json) as JsonValue,
    paused: toBoolean(row.paused),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    removedAt: row.removed_at,
  };
}

export function toScheduleState(row: {
  readonly job: string;
  readonly last_fire_at: number | null;
  readonly next_fire_at: number | null;
}): ScheduleState {
  return { job: row.job, lastFireAt: row.last_fire_at, nextFireAt: row.next_fire_at };
}

export function toLeaseRecord(row: {
  readonly name: string;
  readonly owner: string;
  readonly expires_at: number;
  readonly taken_at: number;
}): LeaseRecord {
  return { name: row.name, owner: row.owner, expiresAt: row.expires_at, takenAt: row.taken_at };
}

export function toEventRecord(row: {
  readonly id: number;
  readonly kind: string;
  readonly job: string | null;
  readonly run_id: number | null;
  readonly severity: string;
  readonly dedup_key: string;
  readonly first_seen: number;
  readonly last_seen: number;
  readonly count: number;
  readonly resolved_at: number | null;
  readonly details_json: string;
  readonly notified_at: number | null;
}): EventRecord {
  if (!isEventSeverity(row.severity)) {
    throw corrupt('events', row.id, 'severity', row.severity, Object.keys(EventSeverity));
  }
  return {
    id: row.id,
    kind: row.kind,
    dedupKey: row.dedup_key,
    severity: row.severity,
    job: row.job,
    runId: row.run_id,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    count: row.count,
    resolvedAt: row.resolved_at,
    notifiedAt: row.notified_at,
    details: JSON.parse(row.details_json) as JsonValue,
  };
}

export function toMonitorRecord(row: {
  readonly name: string;
  readonly ping_id: string;
  readonly status: string;
  readonly last_ping_at: number | null;
  readonly last_start_at: number | null;
  readonly last_success_at: number | null;
  readonly last_failure_at: number | null;
  readonly status_changed_at: number;
  readonly created_at: number;
  readonly removed_at: number | null;
  readonly paused: DbBoolean;
  readonly paused_at: number | null;
  readonly resumed_at: number | null;
}): MonitorRecord {
  if (!isMonitorStatus(row.status)) {
    throw corrupt('monitors', row.name, 'status', row.status, Object.keys(MonitorStatus));
  }
  return {
    name: row.name,
    pingId: row.ping_id,
    status: row.status,
    lastPingAt: row.last_ping_at,
    lastStartAt: row.last_start_at,
    lastSuccessAt: row.last_success_at,
    lastFailureAt: row.last_failure_at,
    statusChangedAt: row.status_changed_at,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    paused: toBoolean(row.paused),
    pausedAt: row.paused_at,
    resumedAt: row.resumed_at,
  };
}

export function toPingRecord(row: {
  readonly id: number;
  readonly monitor: string;
  readonly kind: string;
  readonly at: number;
  readonly exit_code: number | null;
  readonly run_key: string | null;
  readonly duration_ms: number | null;
  readonly body: string | null;
  readonly body_truncated: DbBoolean;
  readonly source: string | null;
}): PingRecord {
  if (!isPingKind(row.kind)) throw corrupt('monitor_pings', row.id, 'kind', row.kind, Object.keys(PingKind));
  return {
    id: row.id,
    monitor: row.monitor,
    kind: row.kind,
    at: row.at,
    exitCode: row.exit_code,
    runKey: row.run_key,
    durationMs: row.duration_ms,
    body: row.body,
    bodyTruncated: toBoolean(row.body_truncated),
    source: row.source,
  };
}

export function toMetricPoint(row: {
  readonly run_id: number;
  readonly job: string;
  readonly fan_key: string;
  readonly name: string;
  readonly value: number;
  readonly at: number;
}): MetricPoint {
  return {
    runId: row.run_id,
    job: row.job,
    fanKey: row.fan_key,
    name: row.name,
    value: row.value,
    at: row.at,
  };
}

/** Column values of a new run, in `runInsertColumns` order. */
export type RunInsertValues = readonly [
  job: string,
  fanKey: string,
  paramsJson: string,
  payloadJson: string | null,
  trigger: string,
  requestedBy: string | null,
  scheduledAt: number,
  runAfter: number,
  priority: number,
  rateKey: string | null,
  queuedAt: number,
  attempt: number,
  firstRunId: number | null,
  dryRun: boolean,
  fireKey: string | null,
  status: RunStatus,
  statusReason: string | null,
  error: string | null,
  finishedAt: number | null,
  secretParamsJson: string | null,
  cooldownMs: number | null,
];

export const runInsertColumns = [
  'job',
  'fan_key',
  'params_json',
  'payload_json',
  'trigger',
  'requested_by',
  'scheduled_at',
  'run_after',
  'priority',
  'rate_key',
  'queued_at',
  'attempt',
  'first_run_id',
  'dry_run',
  'fire_key',
  'status',
  'status_reason',
  'error',
  'finished_at',
  'secret_params',
  'cooldown_ms',
] as const;

/** Validates a new run and gives its column values; throws `store.input` naming the field. */
export function toRunInsertValues(run: NewRun, index: number): RunInsertValues {
  const at = (field: string) => `runs[${index}].${field}`;
  if (typeof run.job !== 'string' || run.job === '') throw invalid(at('job'), 'a job name', run.job);
  if (!isRunTrigger(run.trigger)) {
    throw invalid(at('trigger'), `one of ${Object.keys(RunTrigger).join(', ')}`, run.trigger);
  }
  const status = run.status ?? 'pending';
  if (!initialRunStatuses.includes(status)) {
    throw invalid(at('status'), `one of ${initialRunStatuses.join(', ')}`, status);
  }
  assertTime(run.scheduledAt, at('scheduledAt'));
  assertTime(run.queuedAt, at('queuedAt'));
  const runAfter = run.runAfter ?? run.scheduledAt;
  assertTime(runAfter, at('runAfter'));
  const priority = run.priority ?? 0;
  if (!Number.isSafeInteger(priority)) throw invalid(at('priority'), 'an integer', priority);
  const attempt = run.attempt ?? 1;
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw invalid(at('attempt'), 'an integer >= 1', attempt);
  const cooldownMs = run.cooldownMs ?? null;
  if (cooldownMs !== null && (!Number.isSafeInteger(cooldownMs) || cooldownMs <= 0)) {
    throw invalid(at('cooldownMs'), 'milliseconds > 0 (an integer) or null', cooldownMs);
  }
  return [
    run.job,
    run.fanKey ?? '',
    JSON.stringify(run.params ?? {}),
    run.payload === undefined || run.payload === null ? null : JSON.stringify(run.payload),
    run.trigger,
    run.requestedBy ?? null,
    run.scheduledAt,
    runAfter,
    priority,
    run.rateKey ?? null,
    run.queuedAt,
    attempt,
    run.firstRunId ?? null,
    run.dryRun ?? false,
    run.fireKey ?? null,
    status,
    run.reason ?? null,
    run.error ?? null,
    isTerminalRunStatus(status) ? run.queuedAt : null,
    // A run that will not execute keeps no secret values.
    !isTerminalRunStatus(status) && run.secretParams !== undefined
      ? JSON.stringify(run.secretParams.reveal())
      : null,
    cooldownMs,
  ];
}

export function assertTime(value: unknown, path: string): asserts value is number {
  if (!Number.isSafeInteger(value)) throw invalid(path, 'epoch milliseconds (an integer)', value);
}

export function invalid(path: string, expected: string, found: unknown): CronplaneError {
  return new CronplaneError(
    'store.input',
    `Expected ${expected} at ${path}, found ${JSON.stringify(found)}.`,
    {
      location: { path },
    },
  );
}

function corrupt(
  table: string,
  id: number | string,
  column: string,
  value: unknown,
  known?: readonly string[],
): CronplaneError {
  const knownList = known === undefined ? '' : ` (it knows ${known.join(', ')})`;
  return new CronplaneError(
    'store.corrupt',
    `Row ${JSON.stringify(id)} of ${table} has ${column} ${JSON.stringify(value)}, which this version of cronplane does not know${knownList}.`,
  );
}

/** Severity check shared by event writers. */
export function assertEventSeverity(value: unknown, path: string): asserts value is EventSeverity {
  if (!isEventSeverity(value)) throw invalid(path, `one of ${Object.keys(EventSeverity).join(', ')}`, value);
}
