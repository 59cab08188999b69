import type { RunRecord, RunStatus } from '../store/index.ts';
import { runKeyOf } from './run-incident.ts';

/** Statuses that end a run as a failure for alerting: the job did not do its work. */
export const failingStatuses: readonly RunStatus[] = ['failed', 'timed_out', 'lost', 'critical'];

/** Statuses that say nothing about the job's health (not run, or not ended yet). */
const neutralStatuses: readonly RunStatus[] = ['held', 'pending', 'running', 'skipped', 'cancelled'];

/**
 * The outcome of each fire of one key (fan-out entry or queue key, see `runKeyOf`), newest first:
 * the last attempt of each first run (a failed attempt followed by its retry counts once). `runs`
 * come newest first, as listRuns answers.
 */
export function fireOutcomes(runs: readonly RunRecord[], key: string): RunStatus[] {
  const seen = new Set<number>();
  const outcomes: RunStatus[] = [];
  for (const run of runs) {
    if (runKeyOf(run) !== key || neutralStatuses.includes(run.status)) continue;
    const fire = run.firstRunId ?? run.id;
    if (seen.has(fire)) continue;
    seen.add(fire);
    outcomes.push(run.status);
  }
  return outcomes;
}

/** How many of the newest outcomes satisfy `matches`, stopping at the first that does not. */
export function streak(outcomes: readonly RunStatus[], matches: (status: RunStatus) => boolean): number {
  let count = 0;
  for (const status of outcomes) {
    if (!matches(status)) break;
    count++;
  }
  return count;
}

/** The median of some durations; undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** How long a run that ended took; undefined when it has no start or end. */
export function durationOf(run: RunRecord): number | undefined {
  if (run.startedAt === null || run.finishedAt === null) return undefined;
  return Math.max(0, run.finishedAt - run.startedAt);
}

/** `4m 12s`, `850 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`;
}
