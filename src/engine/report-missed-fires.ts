import type { IncidentSink } from '../incidents/index.ts';
import type { Logger } from '../logging/index.ts';

/** Fires of one job that did not run: how many, the first and the last scheduled time. */
export interface MissedFires {
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

/**
 * Logs and raises `schedule:missed` (notify key `missed`, one open event per job that counts
 * repeats) for fires of a job that will not run. The scheduler reports fires it could not make;
 * the worker reports scheduled runs it claimed past their start deadline.
 */
export async function reportMissedFires(
  target: { readonly incidents: IncidentSink; readonly logger: Logger },
  job: string,
  missed: MissedFires,
  why: string,
): Promise<void> {
  target.logger.warn({ job, ...missed }, `missed ${missed.count} fire(s): ${why}`);
  const first = new Date(missed.first).toISOString();
  const last = new Date(missed.last).toISOString();
  await target.incidents.raise({
    kind: 'schedule:missed',
    notifyKey: 'missed',
    dedupKey: `schedule:missed:${job}`,
    severity: 'warning',
    job,
    title: `${job} missed ${missed.count} fire${missed.count === 1 ? '' : 's'}`,
    summary: `${why}; ${missed.count === 1 ? `the fire of ${first}` : `fires from ${first} to ${last}`} did not run`,
    details: { count: missed.count, first, last, reason: why },
  });
}
