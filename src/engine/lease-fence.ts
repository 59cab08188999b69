import type { Clock, TimerHandle } from '../clock/index.ts';

/**
 * Fencing by lease expiry. A node holds each run it claimed under a lease it renews; when it
 * cannot renew (the store is away), another node's lost-run sweep will mark the run `lost` once
 * the lease expires and may retry it. So the node must have stopped the run by then: the fence
 * calls `onExpiring` with the runs whose lease (as last granted) ends within `marginMs`, early
 * enough for a process group that ignores SIGTERM to get its SIGKILL before the lease ends.
 * One timer, at the earliest fence time.
 */
export class LeaseFence {
  readonly #clock: Clock;
  readonly #marginMs: number;
  readonly #onExpiring: (runIds: readonly number[]) => void;
  /** When each fenced run's lease, as last granted, expires. */
  readonly #until = new Map<number, number>();
  #timer: { readonly at: number; readonly handle: TimerHandle } | undefined;

  constructor(options: {
    readonly clock: Clock;
    readonly marginMs: number;
    readonly onExpiring: (runIds: readonly number[]) => void;
  }) {
    this.#clock = options.clock;
    this.#marginMs = options.marginMs;
    this.#onExpiring = options.onExpiring;
  }

  /**
   * A run was claimed (or its lease renewed) with a lease until `until`. The timer moves only when
   * this lease ends before the one it is set for: a worker holds each of the hundreds of runs of
   * a claim in turn, and looking for the earliest of all its leases at each one made a claim
   * quadratic in its size.
   */
  hold(runIds: readonly number[], until: number): void {
    for (const id of runIds) this.#until.set(id, until);
    if (this.#timer === undefined || until - this.#marginMs < this.#timer.at) this.#arm();
  }

  /** Leases renewed: only runs still fenced are moved on. */
  renewed(runIds: readonly number[], until: number): void {
    for (const id of runIds) if (this.#until.has(id)) this.#until.set(id, until);
    this.#arm();
  }

  /** The run ended or is being recorded: no longer fenced. */
  drop(runId: number): void {
    this.#until.delete(runId);
    if (this.#until.size === 0) this.#disarm();
  }

  release(): void {
    this.#until.clear();
    this.#disarm();
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer.handle);
    this.#timer = undefined;
  }

  #arm(): void {
    let earliest = Infinity;
    for (const until of this.#until.values()) if (until < earliest) earliest = until;
    if (earliest === Infinity) {
      this.#disarm();
      return;
    }
    const at = earliest - this.#marginMs;
    if (this.#timer?.at === at) return;
    this.#disarm();
    const handle = this.#clock.setTimer(
      () => {
        this.#timer = undefined;
        this.#check();
      },
      Math.max(0, at - this.#clock.now()),
    );
    this.#timer = { at, handle };
  }

  #check(): void {
    const fenceBy = this.#clock.now() + this.#marginMs;
    const expiring = [...this.#until].filter(([, until]) => until <= fenceBy).map(([id]) => id);
    for (const id of expiring) this.#until.delete(id);
    this.#arm();
    if (expiring.length > 0) this.#onExpiring(expiring);
  }
}
