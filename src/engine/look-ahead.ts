import type { ResolvedJob } from '../config/index.ts';

/**
 * How long before its scheduled time a fire is recorded, for jobs whose fire does not depend on
 * the state at that moment (see `firesAhead`). Not a whole second, so that the recording of the
 * next fires of per-second and per-minute schedules falls between their fire instants.
 */
export const defaultLookAheadMs = 1500;
/**
 * What recording one run may take on a busy store (PostgreSQL on two cores writes about 20,000
 * runs a second): a large fan-out starts being recorded earlier by this much per run, so that
 * all its runs are in the store at its instant.
 */
export const recordMsPerRun = 0.05;

/** How long before a fire a job that fires ahead records it: more for a large fan-out. */
export function leadOf(job: ResolvedJob, lookAheadMs: number): number {
  return lookAheadMs <= 0 ? 0 : lookAheadMs + Math.floor(job.fanOut.length * recordMsPerRun);
}

/**
 * Whether a job's fires are recorded ahead of time (its runs then wait in the store until due):
 * those of `concurrency: allow` jobs, whose runs do not depend on anything at the fire instant.
 * `forbid` (skip while a run is active) and `replace` (cancel the active run) decide on the state
 * of the fire instant, so their fires are recorded then; `queue` jobs are too, so that a run
 * waiting behind another appears when its fire falls due.
 */
export function firesAhead(job: ResolvedJob): boolean {
  switch (job.concurrency) {
    case 'allow':
      return true;
    case 'queue':
    case 'forbid':
    case 'replace':
      return false;
  }
}

/** How long before a fire the scheduler records it for this job (`lookAheadMs` unset: the default). */
export function leadMsOf(job: ResolvedJob, lookAheadMs: number | undefined): number {
  return firesAhead(job) ? leadOf(job, lookAheadMs ?? defaultLookAheadMs) : 0;
}
