import type { Clock } from './clock.ts';

/** The wall clock and Node's timers. */
export function systemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 0;
  return {
    now: () => Date.now(),
    setTimer(callback, ms) {
      const id = ++next;
      // Node timers are capped at 2^31-1 ms; a longer wait wakes early and is re-armed by the caller.
      const timer = setTimeout(
        () => {
          timers.delete(id);
          callback();
        },
        Math.min(Math.max(0, ms), 2_147_483_647),
      );
      timers.set(id, timer);
      return { id };
    },
    clearTimer(handle) {
      const timer = timers.get(handle.id);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(handle.id);
    },
  };
}
