import type { Scheduler } from './scheduler.ts';

/** How late the scheduler's earliest fire may be before the scheduler counts as stalled. */
export const schedulerStallMs = 15_000;

export interface SchedulerStall {
  readonly stalled: boolean;
  /** The earliest next fire of the jobs, or null when none is planned. */
  readonly earliest: number | null;
  /** How far past its time the earliest fire is (0 when it is in the future). */
  readonly overdueMs: number;
  /** When the scheduler last ticked; 0 when never. */
  readonly lastTickAt: number;
}

/**
 * Whether the scheduler's loop stalled: its earliest fire is long past (the timer did not go
 * off and move it) and it has not ticked recently either (a follower node looks every few
 * seconds without moving its fires). `/readyz` and the scheduler watch share this rule. It reads
 * the top of the scheduler's heap, never each job: with 100,000 jobs a walk over them every look
 * was most of an idle daemon's CPU time.
 */
export function schedulerStall(scheduler: Scheduler, now: number): SchedulerStall {
  const earliest = scheduler.earliestFire;
  const lastTickAt = scheduler.lastTickAt;
  const overdueMs = earliest === null ? 0 : Math.max(0, now - earliest);
  const ticking = lastTickAt > 0 && now - lastTickAt <= schedulerStallMs;
  return { stalled: overdueMs > schedulerStallMs && !ticking, earliest, overdueMs, lastTickAt };
}
