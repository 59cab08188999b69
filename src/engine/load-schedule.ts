import type { ResolvedJob } from '../config/index.ts';
import type { NewRun, ScheduleState } from '../store/index.ts';
import { insertFiredRuns } from './insert-fired-runs.ts';
import { leadMsOf } from './look-ahead.ts';
import { calendarCache, compileJobCalendar } from '../config/index.ts';
import { planCatchUp } from './plan-catch-up.ts';
import { planFire } from './plan-fire.ts';
import type { SchedulerState } from './scheduler-state.ts';
import { stateToWrite } from './state-to-write.ts';
import { recordMissed, refreshPaused } from './scheduler-state.ts';

/** At start-up, fires this recent are on time; older ones since the last recorded fire are catch-up. */
export const startupToleranceMs = 1_000;

/**
 * The leader loads the jobs (at start-up, or a reloaded job file) from their stored schedule
 * state: fires that fell due while no scheduler ran are caught up per each job's policy or
 * reported missed, and each job's next fire goes into the heap.
 */
export async function loadSchedule(
  state: SchedulerState,
  jobs: readonly ResolvedJob[],
  startup: boolean,
  now: number,
): Promise<void> {
  const { store } = state.options;
  const states = new Map<string, ScheduleState>();
  for (const stored of await store.listScheduleStates()) states.set(stored.job, stored);
  await refreshPaused(state);
  // On a reload, the fires a job had still to make are due, not missed: the timer may simply
  // not have run yet (or the event loop was busy reading the new job file).
  const pending = new Map([...state.jobs].map(([name, entry]) => [name, entry.nextAt]));
  state.heap.clear();
  state.jobs.clear();
  // Each job's next fire, put into the heap at once after the loop.
  const fireKeys: string[] = [];
  const fireTimes: number[] = [];
  const calendars = calendarCache();
  const runs: NewRun[] = [];
  const updates: ScheduleState[] = [];
  for (const job of jobs) {
    if (!job.enabled || job.schedules.length === 0) continue;
    const calendar = compileJobCalendar(job.schedules, job.timezone, calendars);
    const lastFireAt = states.get(job.name)?.lastFireAt ?? null;
    // Fires between the last recorded one and now fell due while no scheduler ran. On a
    // restart, a fire of the last moment (the time it took to start) is on time, not missed;
    // on a reload, every fire from the job's pending one on is on time (the tick handles it).
    const from = startup
      ? lastFireAt !== null
        ? now - startupToleranceMs
        : now
      : Math.min(now, pending.get(job.name) ?? now);
    const plan = planCatchUp({
      calendar,
      lastFireAt,
      before: from,
      now,
      policy: job.catchUp,
      windowMs: job.catchUpWindowMs,
    });
    let lastFire = lastFireAt;
    if (!state.paused.has(job.name) && job.queue === undefined) {
      for (const scheduledAt of plan.run)
        runs.push(...planFire(job, scheduledAt, { now, trigger: 'catch-up' }));
    }
    if (plan.missed !== null) {
      await recordMissed(state, job.name, plan.missed, 'the scheduler was not running');
    }
    if (plan.run.length > 0 || plan.missed !== null) lastFire = Math.max(plan.missed?.last ?? 0, ...plan.run);
    const nextAt = calendar.next(Math.max(from - 1, lastFire ?? -Infinity));
    const leadMs = leadMsOf(job, state.options.lookAheadMs);
    state.jobs.set(job.name, { job, calendar, nextAt, lastAt: lastFire, leadMs });
    if (nextAt !== null) {
      fireKeys.push(job.name);
      fireTimes.push(nextAt - leadMs);
    }
    // Unchanged state need not be written again (100,000 jobs restart with nothing to write),
    // nor a state that says nothing (see stateToWrite).
    const update = stateToWrite(states.get(job.name), job.name, lastFire, nextAt);
    if (update !== undefined) updates.push(update);
  }
  state.heap.reset(fireKeys, fireTimes);
  if (runs.length > 0) {
    // Catch-up fires inside a job's `cooldown` are recorded skipped, like any fire.
    await insertFiredRuns(state.options, runs, (name) => state.jobs.get(name)?.job);
  }
  await store.setScheduleStates(updates);
}
