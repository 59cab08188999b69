import type { ResolvedJob } from '../config/index.ts';
import { calendarCache, compileJobCalendar } from '../config/index.ts';
import { leadMsOf } from './look-ahead.ts';
import type { SchedulerState } from './scheduler-state.ts';

/**
 * Adds, replaces or removes some jobs in the scheduler's heap without touching the others (jobs
 * defined through the API change one at a time among 100,000). A replaced job keeps its latest
 * recorded fire, so a new calendar never fires again what was fired, and its fire already due,
 * so a change never drops it; a new job fires from now.
 */
export function applyJobChanges(
  state: SchedulerState,
  upserts: readonly ResolvedJob[],
  removes: readonly string[],
  now: number,
): void {
  for (const name of removes) {
    state.jobs.delete(name);
    state.heap.delete(name);
  }
  const calendars = calendarCache();
  for (const job of upserts) {
    const known = state.jobs.get(job.name);
    if (!job.enabled || job.schedules.length === 0) {
      state.jobs.delete(job.name);
      state.heap.delete(job.name);
      continue;
    }
    const calendar = compileJobCalendar(job.schedules, job.timezone, calendars);
    const lastAt = known?.lastAt ?? null;
    // A fire already due and not recorded yet (the tick has not run, or the store failed it) is
    // due still, as a reload keeps it (`load-schedule.ts`): the new calendar fires from there.
    const pendingAt = known?.nextAt ?? null;
    const from = pendingAt !== null && pendingAt < now ? pendingAt : now;
    const nextAt = calendar.next(Math.max(from - 1, lastAt ?? -Infinity));
    const leadMs = leadMsOf(job, state.options.lookAheadMs);
    state.jobs.set(job.name, { job, calendar, nextAt, lastAt, leadMs });
    if (nextAt === null) state.heap.delete(job.name);
    else state.heap.push(job.name, nextAt - leadMs);
  }
}
