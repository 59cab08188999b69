import type { ResolvedJob } from '../config/index.ts';
import { recordingSink } from '../incidents/index.ts';
import type { JobCalendar } from '../config/index.ts';
import type { MissedFires } from './report-missed-fires.ts';
import { reportMissedFires } from './report-missed-fires.ts';
import type { SchedulerOptions } from './scheduler-options.ts';
import type { TimerHeap } from './timer-heap.ts';

/** One job the scheduler fires: its calendar and where it stands. */
export interface ScheduledJob {
  readonly job: ResolvedJob;
  readonly calendar: JobCalendar;
  /** The next fire not yet recorded. */
  nextAt: number | null;
  /** The latest fire recorded, which may still lie ahead. */
  lastAt: number | null;
  /** How long before a fire it is recorded. */
  readonly leadMs: number;
  /** Rebuilt from the stored cursor by a new leader: its overdue fires each run, late, at the next tick. */
  takenOver?: boolean;
}

/** A job's place in the heap before a tick took its fires, to put back if the tick fails. */
export interface TakenFire {
  readonly name: string;
  readonly entry: ScheduledJob;
  readonly nextAt: number | null;
  readonly lastAt: number | null;
}

export interface JobMissedFires {
  readonly job: string;
  readonly fires: MissedFires;
}

/**
 * What the parts of the scheduler share: the jobs, and one heap of them by the time their next
 * fire is to be recorded (so 100,000 schedules cost nothing while nothing is due).
 */
export interface SchedulerState {
  readonly options: SchedulerOptions;
  readonly heap: TimerHeap<string>;
  readonly jobs: Map<string, ScheduledJob>;
  /** Jobs paused through the API of any node: their fires are recorded as made, with no runs. */
  readonly paused: Set<string>;
}

/** Reads the paused jobs from the store (another node may have paused or resumed one). */
export async function refreshPaused(state: SchedulerState): Promise<void> {
  const names = await state.options.store.listPausedJobs();
  state.paused.clear();
  for (const name of names) state.paused.add(name);
}

/** Reports fires of a job that did not run (`schedule:missed`). */
export async function recordMissed(
  state: SchedulerState,
  job: string,
  missed: MissedFires,
  why: string,
): Promise<void> {
  const { store, clock, logger } = state.options;
  const incidents = state.options.incidents ?? recordingSink(store, clock);
  await reportMissedFires({ incidents, logger }, job, missed, why);
}
