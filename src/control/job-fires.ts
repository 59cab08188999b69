/**
 * A job's next fires for LocalControl: the one calendar computation the scheduler and
 * `cronplane next` use (config/job-calendar.ts), each fire with the schedule that gives it.
 */
import type { ResolvedJob } from '../config/index.ts';
import { compileJobCalendar, upcomingFires } from '../config/index.ts';
import type { FiresQuery } from './control.ts';
import { badQuery } from './history-range.ts';
import type { JobFiresView } from './views/job-fires-view.ts';

export const defaultFireCount = 10;
export const maxFireCount = 100;

export function listJobFires(
  job: ResolvedJob,
  paused: boolean,
  query: FiresQuery,
  now: number,
): JobFiresView {
  const count = query.count ?? defaultFireCount;
  if (!Number.isSafeInteger(count)) throw badQuery('count', 'expected a fire count (a whole number)');
  if (count < 1) throw badQuery('count', 'expected a fire count of at least 1');
  if (count > maxFireCount) throw badQuery('count', `expected a fire count of at most ${maxFireCount}`);
  const after = query.after ?? now;
  if (!Number.isSafeInteger(after) || after < 0) {
    const found = Number.isFinite(after) ? new Date(after).toISOString() : String(after);
    throw badQuery('after', `expected an instant from 1970 on; found ${found}`);
  }
  const fires = job.enabled
    ? upcomingFires(compileJobCalendar(job.schedules, job.timezone), after, count)
    : [];
  return {
    job: job.name,
    timezone: job.timezone,
    paused,
    fires: fires.map((fire) => ({
      at: new Date(fire.at).toISOString(),
      schedule: job.schedules[fire.schedule]?.text ?? '',
    })),
  };
}
