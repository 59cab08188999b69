import type { ResolvedJob } from '../config/index.ts';
import { jobDefaults } from '../config/index.ts';
import { forbidSkipReason } from '../engine/index.ts';
import type { IncidentSink } from '../incidents/index.ts';
import type { Store } from '../store/index.ts';

export const skippedFiresKind = 'job:skipped-fires';

export function skippedFiresKey(job: string): string {
  return `${skippedFiresKind}:${job}`;
}

/** The job's `watch.skipped_fires`, or the default (3). */
export function skippedFiresOf(job: ResolvedJob): number {
  return job.watch.skippedFires ?? jobDefaults.watch.skipped_fires;
}

/** Runs read to count a streak: enough for any threshold people set, and for fan-out runs. */
const streakWindow = 500;

/**
 * One look at the fires `concurrency: forbid` skipped: a job whose last `watch.skipped_fires`
 * fires (or more) in a row were skipped while a run of it is still active opens
 * `job:skipped-fires` (notify key `stuck`: the active run is probably hung); the event resolves
 * once no run of the job is active any more (the run finished). The streak is read from the
 * stored runs, newest first; fan-out runs of one fire count once. `watched` holds the jobs with
 * `concurrency: forbid` and `watch.skipped_fires` (every scheduled job by default);
 * `reported` holds the jobs this watch has opened, so it resolves only its own.
 *
 * A look starts from the jobs with an active run, read in one query, and visits only those:
 * the watched jobs may be 100,000 and are never sent to the store or walked.
 */
export async function checkSkippedFires(
  store: Store,
  watched: ReadonlyMap<string, ResolvedJob>,
  incidents: IncidentSink,
  reported: Set<string>,
): Promise<void> {
  const active = new Set(
    (await store.countActiveRuns())
      .filter((count) => count.pending + count.running > 0)
      .map((count) => count.job),
  );
  for (const job of reported) {
    if (active.has(job) && watched.has(job)) continue;
    reported.delete(job);
    await incidents.resolve({
      dedupKey: skippedFiresKey(job),
      notifyKey: 'stuck',
      job,
      title: `${job} fires again: its active run ended`,
    });
  }
  for (const name of active) {
    const job = watched.get(name);
    if (job === undefined || reported.has(name)) continue;
    const { runs } = await store.listRuns({ job: job.name, limit: streakWindow });
    const fires = new Set<number>();
    let firstSkipped: number | undefined;
    for (const run of runs) {
      if (run.status !== 'skipped' || run.statusReason !== forbidSkipReason) break;
      fires.add(run.scheduledAt);
      firstSkipped = run.scheduledAt;
    }
    if (fires.size < skippedFiresOf(job) || firstSkipped === undefined) continue;
    const blocking = runs.find((run) => run.status === 'running' || run.status === 'pending');
    reported.add(job.name);
    await incidents.raise({
      kind: skippedFiresKind,
      notifyKey: 'stuck',
      severity: 'warning',
      dedupKey: skippedFiresKey(job.name),
      job: job.name,
      ...(blocking === undefined ? {} : { runId: blocking.id }),
      title: `${job.name} skipped ${fires.size} fires in a row: its previous run is still active`,
      summary: `concurrency: forbid skipped every fire since ${new Date(firstSkipped).toISOString()}${
        blocking === undefined ? '' : `; run ${blocking.id} is still ${blocking.status}`
      }; watch.skipped_fires is ${skippedFiresOf(job)}`,
      details: {
        skipped_fires: fires.size,
        first_skipped: new Date(firstSkipped).toISOString(),
        ...(blocking === undefined ? {} : { active_run: blocking.id }),
      },
    });
  }
}
