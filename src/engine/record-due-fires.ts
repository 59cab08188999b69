import type { NewRun, ScheduleState } from '../store/index.ts';
import { insertFiredRuns } from './insert-fired-runs.ts';
import { forbidSkipReason, planFire } from './plan-fire.ts';
import type { JobMissedFires, ScheduledJob, SchedulerState, TakenFire } from './scheduler-state.ts';
import { defaultStartDeadlineMs } from './start-deadline.ts';

/**
 * The leader's tick: takes the due fires from the heap (and those the jobs record ahead), records
 * their runs per each job's concurrency policy and cooldown, and moves the jobs' cursors. Every job it takes is
 * added to `taken`, so that a tick that fails can put them back. Fires from `heldFrom` on were
 * held up by a store fault: each runs, late. Answers the fires missed (reported once the writes
 * are done).
 */
export async function recordDueFires(
  state: SchedulerState,
  now: number,
  taken: TakenFire[],
  heldFrom: number | undefined,
): Promise<readonly JobMissedFires[]> {
  const runs: NewRun[] = [];
  const updates: ScheduleState[] = [];
  const missed: JobMissedFires[] = [];
  const forbidden = new Set<string>();
  const replacing: string[] = [];
  const due: { entry: ScheduledJob; fires: number[] }[] = [];
  while ((state.heap.peekTime() ?? Infinity) <= now) {
    const name = state.heap.pop() as string;
    const entry = state.jobs.get(name);
    if (entry === undefined) continue;
    taken.push({ name, entry, nextAt: entry.nextAt, lastAt: entry.lastAt });
    const fires: number[] = [];
    let at = entry.nextAt;
    // Fires up to now, and those the job records ahead.
    while (at !== null && at <= now + entry.leadMs && fires.length < 1000) {
      fires.push(at);
      at = entry.calendar.next(at);
    }
    entry.nextAt = at;
    if (at !== null) state.heap.push(name, at - entry.leadMs);
    if (fires.length === 0) continue;
    entry.lastAt = fires[fires.length - 1] as number;
    due.push({ entry, fires });
    if (entry.job.concurrency === 'forbid') forbidden.add(name);
    if (entry.job.concurrency === 'replace') replacing.push(name);
  }
  if (due.length === 0) return [];
  const active =
    forbidden.size === 0
      ? new Set<string>()
      : new Set((await state.options.store.countActiveRuns([...forbidden])).map((count) => count.job));
  for (const { entry, fires } of due) {
    const { job } = entry;
    const last = fires[fires.length - 1] as number;
    updates.push({ job: job.name, lastFireAt: last, nextFireAt: entry.nextAt });
    // A queue job's fire releases waiting items (the queue drainer); it records no run of its own.
    if (state.paused.has(job.name) || job.queue !== undefined) continue;
    const ahead = fires.filter((at) => at > now);
    const overdue = fires.filter((at) => at <= now);
    // Fires that fell due while the store failed were held up by it, not by a stall: each
    // runs (late). Other overdue fires were held up by a stall (the process was stopped, the
    // machine slept): the latest stands for them.
    // A job a new leader took over had its fires held up by the change of leader alike.
    const heldSince = entry.takenOver === true ? -Infinity : heldFrom;
    entry.takenOver = false;
    const held = heldSince === undefined ? [] : overdue.filter((at) => at >= heldSince);
    const onTime = job.catchUp === 'all' ? overdue : held.length > 0 ? held : overdue.slice(-1);
    const deadline = job.startDeadlineMs ?? defaultStartDeadlineMs;
    const late = onTime.filter((at) => now - at > deadline);
    const firing = [...onTime.filter((at) => now - at <= deadline), ...ahead];
    const missedCount = fires.length - firing.length;
    if (missedCount > 0) {
      const notFiring = overdue.filter((at) => !firing.includes(at));
      const first = notFiring[0] as number;
      const lastMissed = late[late.length - 1] ?? notFiring[notFiring.length - 1] ?? first;
      missed.push({ job: job.name, fires: { count: missedCount, first, last: lastMissed } });
    }
    for (const scheduledAt of firing) {
      if (active.has(job.name)) {
        runs.push(
          ...planFire(job, scheduledAt, {
            now,
            trigger: 'schedule',
            status: 'skipped',
            reason: forbidSkipReason,
          }),
        );
      } else {
        runs.push(...planFire(job, scheduledAt, { now, trigger: 'schedule' }));
        if (job.concurrency === 'forbid') active.add(job.name);
      }
    }
  }
  if (replacing.length > 0) await cancelActive(state, replacing, now);
  // `cooldown`: the store's last start of each key, read under the key's lock, decides (on any node that leads).
  if (runs.length > 0) await insertFiredRuns(state.options, runs, (name) => state.jobs.get(name)?.job);
  await state.options.store.setScheduleStates(updates);
  return missed;
}

/** Fires taken from the heap by a tick that failed: due again at the next one. */
export function putBackFires(state: SchedulerState, taken: readonly TakenFire[]): void {
  for (const { name, entry, nextAt, lastAt } of taken) {
    entry.nextAt = nextAt;
    entry.lastAt = lastAt;
    if (state.jobs.get(name) === entry && nextAt !== null) state.heap.push(name, nextAt - entry.leadMs);
  }
}

/** `concurrency: replace`: a newer fire cancels the job's active runs (their workers stop them). */
async function cancelActive(state: SchedulerState, jobs: readonly string[], now: number): Promise<void> {
  const { store, node } = state.options;
  const cancelled: number[] = [];
  for (const job of jobs) {
    const page = await store.listRuns({ job, status: ['pending', 'running'], limit: 1000 });
    for (const run of page.runs) {
      const done = await store.cancelRun(run.id, {
        at: now,
        node,
        reason: 'concurrency replace: a newer fire replaces it',
      });
      if (done) cancelled.push(run.id);
    }
  }
  if (cancelled.length > 0) state.options.onRunsCancelled?.(cancelled);
}
