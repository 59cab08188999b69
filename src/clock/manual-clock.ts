import type { Clock } from './clock.ts';

/** A clock that moves only when told to; `advance()` runs the timers that fall due, in order. */
export interface ManualClock extends Clock {
  set(now: number): void;
  advance(ms: number): void;
  pendingTimers(): number;
}

export function manualClock(start: number): ManualClock {
  let now = start;
  let next = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: ManualClock = {
    now: () => now,
    setTimer(callback, ms) {
      const id = ++next;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      // A timer already due runs on its own soon, as a real one would, without waiting for advance().
      if (ms <= 0) {
        setImmediate(() => {
          const timer = timers.get(id);
          if (timer === undefined || timer.at > now) return;
          timers.delete(id);
          timer.callback();
        });
      }
      return { id };
    },
    clearTimer(handle) {
      timers.delete(handle.id);
    },
    set(target) {
      clock.advance(target - now);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let dueId: number | undefined;
        let dueAt = Infinity;
        for (const [id, timer] of timers) {
          if (timer.at <= target && timer.at < dueAt) {
            dueAt = timer.at;
            dueId = id;
          }
        }
        if (dueId === undefined) break;
        const timer = timers.get(dueId);
        timers.delete(dueId);
        now = Math.max(now, dueAt);
        timer?.callback();
      }
      now = target;
    },
    pendingTimers: () => timers.size,
  };
  return clock;
}
