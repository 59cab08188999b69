import type { Clock, TimerHandle } from '../clock/index.ts';
import type { TrackedRun } from './tracked-run.ts';

/**
 * Runs claimed ahead of their due time, waiting for it: one timer, at the earliest due time,
 * hands the due ones to `onDue`.
 */
export class HeldRuns {
  readonly #clock: Clock;
  readonly #onDue: (tracked: TrackedRun) => void;
  /** Held runs by due time. */
  readonly #held = new Map<number, TrackedRun[]>();
  #timer: { readonly at: number; readonly handle: TimerHandle } | undefined;

  constructor(clock: Clock, onDue: (tracked: TrackedRun) => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  hold(tracked: TrackedRun): void {
    const waiting = this.#held.get(tracked.run.runAfter);
    if (waiting === undefined) this.#held.set(tracked.run.runAfter, [tracked]);
    else waiting.push(tracked);
    this.#arm();
  }

  /** No longer waits (it ends before its due time). */
  unhold(tracked: TrackedRun): void {
    const waiting = this.#held.get(tracked.run.runAfter);
    if (waiting === undefined) return;
    const index = waiting.indexOf(tracked);
    if (index !== -1) waiting.splice(index, 1);
    if (waiting.length === 0) this.#held.delete(tracked.run.runAfter);
  }

  release(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer.handle);
    this.#timer = undefined;
  }

  /** One timer, at the earliest due time of the held runs. */
  #arm(): void {
    let earliest = Infinity;
    for (const at of this.#held.keys()) if (at < earliest) earliest = at;
    if (this.#timer !== undefined) {
      if (this.#timer.at === earliest) return;
      this.#clock.clearTimer(this.#timer.handle);
      this.#timer = undefined;
    }
    if (earliest === Infinity) return;
    const handle = this.#clock.setTimer(() => {
      this.#timer = undefined;
      this.#startDue();
    }, earliest - this.#clock.now());
    this.#timer = { at: earliest, handle };
  }

  #startDue(): void {
    const now = this.#clock.now();
    const due = [...this.#held.keys()].filter((at) => at <= now).sort((a, b) => a - b);
    for (const at of due) {
      const waiting = this.#held.get(at) ?? [];
      this.#held.delete(at);
      for (const tracked of waiting) this.#onDue(tracked);
    }
    this.#arm();
  }
}
