import type { RunRecord } from '../store/index.ts';

/** Where a run this worker holds the lease of is: waiting for its due time, executing, or recording its end. */
export const RunPhase = {
  held: 'held',
  executing: 'executing',
  finishing: 'finishing',
} as const;
export type RunPhase = keyof typeof RunPhase;

/** A run a worker claimed, from the claim until its end is recorded. */
export interface TrackedRun {
  readonly run: RunRecord;
  readonly controller: AbortController;
  phase: RunPhase;
  /** Set when the run must not start (claimed past its start deadline): ends `skipped` with it. */
  readonly skipReason: string | undefined;
  /** Stopped because its lease could not be renewed: its end is not recorded (the run is lost). */
  fenced: boolean;
}

/**
 * A run just claimed: held until it begins. It carries no promise of its own: the worker waits
 * for all its runs at once when it drains (one per run cost a promise and a closure per run).
 */
export function trackRun(run: RunRecord, skipReason: string | undefined): TrackedRun {
  return { run, controller: new AbortController(), phase: RunPhase.held, skipReason, fenced: false };
}
