/**
 * Time as cronplane's loops see it. The daemon uses the system clock; tests inject a manual clock
 * and move it forward, so time-dependent behaviour is tested without sleeping.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` once `ms` have passed on this clock. */
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: number;
}
