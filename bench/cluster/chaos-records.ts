/**
 * What the store holds after a chaos run, read once all nodes stopped: every run (its fire,
 * trigger, times, node, status) and the `schedule:missed` events. The missed-fire reports
 * themselves also come from the nodes' log lines, because an open event keeps only the details
 * of its latest repeat (`events.count` says how many there were).
 */
import type { ChaosDatabase } from './chaos-database.ts';

export interface RunFact {
  readonly id: number;
  readonly job: string;
  readonly fanKey: string;
  readonly trigger: string;
  readonly scheduledAt: number;
  readonly queuedAt: number;
  readonly startedAt: number | null;
  readonly status: string;
  readonly statusReason: string | null;
  readonly node: string | null;
  readonly firstRunId: number | null;
}

/** One report of missed fires: `count` fires of `job` from `first` to `last` did not run. */
export interface MissedReport {
  readonly job: string;
  readonly count: number;
  readonly first: number;
  readonly last: number;
  /** Where it was read: a node's log line, or an event row's (latest) details. */
  readonly source: 'log' | 'event';
}

export interface MissedEventRow {
  readonly job: string;
  /** How many times it was raised while open. */
  readonly raised: number;
  /** Its latest details, when they name the fires. */
  readonly report: MissedReport | undefined;
}

export interface ChaosRecords {
  readonly runs: readonly RunFact[];
  readonly missedEvents: readonly MissedEventRow[];
}

interface RunRow {
  id: string;
  job: string;
  fan_key: string;
  trigger: string;
  scheduled_at: string;
  queued_at: string;
  started_at: string | null;
  status: string;
  status_reason: string | null;
  node: string | null;
  first_run_id: string | null;
}

export async function readChaosRecords(database: ChaosDatabase): Promise<ChaosRecords> {
  const runs = await database.query<RunRow>(
    `SELECT id, job, fan_key, "trigger", scheduled_at, queued_at, started_at, status, status_reason,
            node, first_run_id FROM runs ORDER BY id`,
  );
  const events = await database.query<{ job: string | null; count: number; details_json: string }>(
    "SELECT job, count, details_json FROM events WHERE kind = 'schedule:missed' ORDER BY id",
  );
  return {
    runs: runs.map((row): RunFact => ({
      id: Number(row.id),
      job: row.job,
      fanKey: row.fan_key,
      trigger: row.trigger,
      scheduledAt: Number(row.scheduled_at),
      queuedAt: Number(row.queued_at),
      startedAt: row.started_at === null ? null : Number(row.started_at),
      status: row.status,
      statusReason: row.status_reason,
      node: row.node,
      firstRunId: row.first_run_id === null ? null : Number(row.first_run_id),
    })),
    missedEvents: events.map((row) => ({
      job: row.job ?? '',
      raised: Number(row.count),
      report: reportOfDetails(row.job ?? '', row.details_json),
    })),
  };
}

function reportOfDetails(job: string, detailsJson: string): MissedReport | undefined {
  const details = JSON.parse(detailsJson) as { count?: unknown; first?: unknown; last?: unknown } | null;
  if (details === null || typeof details.count !== 'number') return undefined;
  const first = typeof details.first === 'string' ? Date.parse(details.first) : Number.NaN;
  const last = typeof details.last === 'string' ? Date.parse(details.last) : Number.NaN;
  if (!Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  return { job, count: details.count, first, last, source: 'event' };
}

/** The missed-fire reports in a node's output (JSON log lines `missed N fire(s): ...`). */
export function missedReportsInLog(output: string): MissedReport[] {
  const reports: MissedReport[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"missed ')) continue;
    let entry: { msg?: unknown; job?: unknown; count?: unknown; first?: unknown; last?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (typeof entry.msg !== 'string' || !/^missed \d+ fire/.test(entry.msg)) continue;
    if (
      typeof entry.job !== 'string' ||
      typeof entry.count !== 'number' ||
      typeof entry.first !== 'number' ||
      typeof entry.last !== 'number'
    )
      continue;
    reports.push({ job: entry.job, count: entry.count, first: entry.first, last: entry.last, source: 'log' });
  }
  return reports;
}
