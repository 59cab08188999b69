import type { ResolvedJob } from '../config/index.ts';
import type { RunRecord } from '../store/index.ts';
import type { MissedFires } from './report-missed-fires.ts';

/** A fire older than this when it is fired or claimed is missed, unless the job says otherwise. */
export const defaultStartDeadlineMs = 60_000;

/**
 * Why a claimed run must not start: a run the schedule made (`schedule`, `catch-up`) claimed
 * more than the job's `start_deadline` after it was due to start. It was due at its `run_after`
 * (the scheduled time plus any randomized delay), or, when it was recorded after that (a catch-up
 * the catch-up policy chose to run, a fire recorded late within its deadline), when it was
 * recorded: the scheduler judged the lateness then. Undefined when it may start: in time, or
 * made by hand, the API, a retry or a chain, which are not bound to a fire instant.
 */
export function startDeadlinePassed(
  job: ResolvedJob,
  run: Pick<RunRecord, 'trigger' | 'runAfter' | 'queuedAt'>,
  claimedAt: number,
): string | undefined {
  if (run.trigger !== 'schedule' && run.trigger !== 'catch-up') return undefined;
  const deadline = job.startDeadlineMs ?? defaultStartDeadlineMs;
  const due = Math.max(run.runAfter, run.queuedAt);
  if (claimedAt - due <= deadline) return undefined;
  return (
    `start deadline passed: due at ${new Date(due).toISOString()}, ` +
    `claimed at ${new Date(claimedAt).toISOString()} (start_deadline ${deadline} ms)`
  );
}

/** The fires of each job that `runs` (skipped past their deadline) stood for: fan-out runs of one fire count once. */
export function missedFiresByJob(
  runs: readonly Pick<RunRecord, 'job' | 'scheduledAt'>[],
): Map<string, MissedFires> {
  const fires = new Map<string, Set<number>>();
  for (const run of runs) {
    const times = fires.get(run.job) ?? new Set<number>();
    times.add(run.scheduledAt);
    fires.set(run.job, times);
  }
  const missed = new Map<string, MissedFires>();
  for (const [job, times] of fires) {
    const sorted = [...times].sort((a, b) => a - b);
    missed.set(job, { count: sorted.length, first: sorted[0] as number, last: sorted.at(-1) as number });
  }
  return missed;
}
