/**
 * Time as the engine sees it. The daemon uses the system clock; tests inject a manual clock and
 * move it forward, so time-dependent behaviour is tested without sleeping.
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
