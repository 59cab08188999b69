import type { ScheduleState } from '../store/index.ts';
import { planTakeOver } from './plan-take-over.ts';
import type { JobMissedFires, SchedulerState } from './scheduler-state.ts';
import { recordMissed } from './scheduler-state.ts';
import { defaultStartDeadlineMs } from './start-deadline.ts';
import { stateToWrite } from './state-to-write.ts';

/**
 * This node has just become the leader (it did not hold the lease): another node may have
 * fired meanwhile. Each job continues after the last fire stored in schedule_state (or after
 * the latest fire whose runs exist, should a leader have died between recording runs and
 * storing its cursor). Fires older than the job's start deadline since then are reported
 * missed, once; the newer ones fire at this tick, late (each one: distinct fire keys). False
 * when another node took the lease meanwhile (nothing was written or reported).
 */
export async function takeOver(
  state: SchedulerState,
  now: number,
  lease: { readonly name: string; readonly owner: string },
): Promise<boolean> {
  const { store } = state.options;
  const states = new Map((await store.listScheduleStates()).map((stored) => [stored.job, stored]));
  const updates: ScheduleState[] = [];
  const missed: JobMissedFires[] = [];
  state.heap.clear();
  for (const [name, entry] of state.jobs) {
    const cursor = states.get(name);
    const stored = cursor?.lastFireAt ?? null;
    // This node fired it last (it held the lease until it lapsed): its own view is the cursor.
    if (entry.lastAt !== null && stored === entry.lastAt) {
      if (entry.nextAt !== null) state.heap.push(name, entry.nextAt - entry.leadMs);
      continue;
    }
    const pending = stored === null ? null : entry.calendar.next(stored);
    // Only a job with fires due since its cursor can have runs recorded past it.
    const recordedAt =
      pending !== null && pending <= now + entry.leadMs
        ? await latestRecordedFire(state, name, stored)
        : null;
    const plan = planTakeOver({
      calendar: entry.calendar,
      lastFireAt: stored,
      recordedAt,
      now,
      startDeadlineMs: entry.job.startDeadlineMs ?? defaultStartDeadlineMs,
    });
    entry.lastAt = plan.lastFireAt;
    entry.takenOver = true;
    entry.nextAt = entry.calendar.next(plan.lastFireAt ?? now - 1);
    if (entry.nextAt !== null) state.heap.push(name, entry.nextAt - entry.leadMs);
    if (plan.missed !== null && !state.paused.has(name)) missed.push({ job: name, fires: plan.missed });
    const update = stateToWrite(cursor, name, plan.lastFireAt, entry.nextAt);
    if (update !== undefined) updates.push(update);
  }
  // The cursor moves only while this node still holds the lease: a leader that was slower than
  // its lease (a pause, an overloaded store) and has been replaced meanwhile leaves the cursor to
  // the new leader, which read it after taking the lease. Only the node whose cursor moved reports
  // the gap, so two leaders never both report it (with two different ends). A leader killed
  // between moving the cursor and raising the event loses that one report.
  if (!(await store.setScheduleStatesAsHolder(lease, updates))) return false;
  for (const { job, fires } of missed)
    await recordMissed(state, job, fires, 'no scheduler leader fired them in time');
  return true;
}

/** The latest scheduled time after `after` of a fire whose runs exist, or null. */
async function latestRecordedFire(
  state: SchedulerState,
  job: string,
  after: number | null,
): Promise<number | null> {
  const page = await state.options.store.listRuns({
    job,
    ...(after === null ? {} : { from: after + 1 }),
    limit: 100,
  });
  const fires = page.runs
    .filter((run) => run.fireKey !== null && (run.trigger === 'schedule' || run.trigger === 'catch-up'))
    .map((run) => run.scheduledAt);
  return fires.length === 0 ? null : Math.max(...fires);
}
