import type { Clock, TimerHandle } from '../clock/index.ts';

/**
 * A watcher's looks and the one timer that asks for the next. Looks run one at a time: one asked
 * for while another is under way runs after it. Once released, the timer is never armed again
 * and `release` waits for the look under way.
 */
export class WatchLoop<T> {
  readonly #clock: Clock;
  readonly #look: () => Promise<T>;
  readonly #idle: T;
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;
  #pending: Promise<T> | undefined;
  #running = false;

  /** `look` must not throw (a watcher logs its own failures); `idle` is what a look waited on answers before the first. */
  constructor(clock: Clock, look: () => Promise<T>, idle: T) {
    this.#clock = clock;
    this.#look = look;
    this.#idle = idle;
  }

  get running(): boolean {
    return this.#running;
  }

  /** When the armed timer looks; `Infinity` when none is armed. */
  get armedAt(): number {
    return this.#timerAt;
  }

  start(): void {
    this.#running = true;
  }

  /** Looks now (after a look under way). */
  async lookNow(): Promise<T> {
    const look = (this.#pending ?? Promise.resolve(this.#idle)).then(() => this.#look());
    this.#pending = look;
    try {
      return await look;
    } finally {
      if (this.#pending === look) this.#pending = undefined;
    }
  }

  /** Replaces the armed timer with one that looks in `ms` and then calls `after` (which may arm the next). */
  lookIn(ms: number, after?: () => void): void {
    this.lookAt(this.#clock.now() + ms, after);
  }

  /**
   * Replaces the armed timer with one that looks at `at` (at once when that has passed) and then
   * calls `after`. Arms nothing once released or before `start`.
   */
  lookAt(at: number, after?: () => void): void {
    this.disarm();
    if (!this.#running) return;
    this.#timerAt = at;
    this.#timer = this.#clock.setTimer(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        const look = this.lookNow();
        if (after !== undefined) void look.finally(after);
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  async release(): Promise<void> {
    this.#running = false;
    this.disarm();
    await this.#pending;
  }
}
