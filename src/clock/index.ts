/**
 * Time, injected: the `Clock` every loop reads and arms its timers on, the system clock the
 * daemon uses and the manual clock tests move by hand. It imports nothing of cronplane.
 */
export type { Clock, TimerHandle } from './clock.ts';
export { systemClock } from './system-clock.ts';
export { manualClock } from './manual-clock.ts';
export type { ManualClock } from './manual-clock.ts';
