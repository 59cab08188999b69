import type { ResolvedJob } from '../config/index.ts';
import { leadMsOf } from './look-ahead.ts';
import { calendarCache, compileJobCalendar } from '../config/index.ts';
import type { SchedulerState } from './scheduler-state.ts';

/**
 * A follower's view of the jobs: their next fires from now on, for display (`nextFireOf`, the
 * stall check). It records nothing; the node rebuilds from the store when it takes the lease.
 */
export function loadFollowerView(state: SchedulerState, jobs: readonly ResolvedJob[], now: number): void {
  state.heap.clear();
  state.jobs.clear();
  const calendars = calendarCache();
  for (const job of jobs) {
    if (!job.enabled || job.schedules.length === 0) continue;
    const calendar = compileJobCalendar(job.schedules, job.timezone, calendars);
    const nextAt = calendar.next(now - 1);
    const leadMs = leadMsOf(job, state.options.lookAheadMs);
    state.jobs.set(job.name, { job, calendar, nextAt, lastAt: null, leadMs });
    if (nextAt !== null) state.heap.push(job.name, nextAt - leadMs);
  }
}

/**
 * A follower's view moves on with time, firing nothing (the leader fires), and forgets the last
 * fire this node recorded (a leader that stepped down keeps none as its cursor). A job that records
 * its fires ahead is looked at again `leadMs` before its fire after `now + leadMs`: a key in the
 * past would be popped again at once, for ever.
 */
export function followTime(state: SchedulerState, now: number): void {
  while ((state.heap.peekTime() ?? Infinity) <= now) {
    const name = state.heap.pop() as string;
    const entry = state.jobs.get(name);
    if (entry === undefined) continue;
    // Its view has passed fires this node did not record: should it lead again, the stored
    // cursor decides (`takeOver`), not the last fire it recorded as the leader.
    entry.lastAt = null;
    entry.nextAt = entry.calendar.next(now + entry.leadMs);
    if (entry.nextAt !== null) state.heap.push(name, entry.nextAt - entry.leadMs);
  }
}
