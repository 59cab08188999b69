import type { StopListening } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import type { SchedulerOptions } from './scheduler-options.ts';

/** The scheduler leader lease. */
export const leaderLeaseName = 'scheduler';
/** The store signal a leader sends when it gives the lease up, so a follower takes it at once. */
export const leaderLeaseSignal = 'scheduler_lease';
/**
 * The leader lease's length: a leader that dies (kill -9) is replaced when its lease runs out,
 * at most this long after its last renewal. The leader renews it every third of it.
 */
export const defaultLeaderLeaseMs = 1500;
/** How often a follower tries to take the lease (and at once when the leader says it gave it up). */
export const defaultLeaderPollMs = 250;

/**
 * The scheduler's hold on the leader lease: only its holder fires. The leader renews it every
 * third of it and a follower tries to take it every poll, or at once when the leader signals it
 * gave it up. Each time it is taken or renewed, `onHeld` runs (the leader reads the paused jobs).
 */
export class LeaderLease {
  readonly #options: SchedulerOptions;
  readonly #onHeld: () => Promise<void>;
  /** Until when this node holds the lease; -1: a follower (it polls); 0: never held, or given up at a stop. */
  #until = 0;
  /** When this node's latest holding of the lease began, as the store keeps it (`LeaseRecord.takenAt`). */
  #takenAt: number | undefined;
  #resumed = false;

  constructor(options: SchedulerOptions, onHeld: () => Promise<void>) {
    this.#options = options;
    this.#onHeld = onHeld;
  }

  get isLeader(): boolean {
    return this.#until > this.#options.clock.now();
  }

  /**
   * Calls `onReleased` when a leader gives the lease up, so a follower takes it at once instead
   * of at its next poll. Signals are hints; the poll stays.
   */
  listen(onReleased: () => void): Promise<StopListening> {
    return this.#options.store.onSignal(leaderLeaseSignal, onReleased);
  }

  /** Takes or renews the lease (when not renewed in the last third of it); answers whether it is held. */
  async ensure(now: number): Promise<boolean> {
    if (this.#options.mayLead?.() === false) {
      await this.stepDown();
      return false;
    }
    // Renewed less than a third of the lease ago: still held.
    if (this.#until - now > (this.#leaseMs() * 2) / 3) return true;
    const until = now + this.#leaseMs();
    const held = await this.#options.store.acquireLease({
      name: leaderLeaseName,
      owner: this.#owner(),
      now,
      until,
    });
    const became = held && this.#until <= now;
    this.#until = held ? until : -1;
    if (became) {
      this.#resumed = await this.#sameHolding();
      await this.#options.onLead?.();
    }
    // Another node may have paused or resumed a job (the API of any node writes the store):
    // the leader reads the paused names each time it renews its lease, every half lease.
    if (held) await this.#onHeld();
    return held;
  }

  /**
   * Whether the lease, last taken after it was not held (or had run out), continued this node's
   * own holding: nobody else held it in between, so no other node fired and this node's schedule
   * is still the cursor (a leader busy for longer than its lease, not replaced).
   */
  get resumed(): boolean {
    return this.#resumed;
  }

  /** One read, when the lease is taken: whether the store's holding is the one this node had. */
  async #sameHolding(): Promise<boolean> {
    const lease = await this.#options.store.getLease(leaderLeaseName);
    const takenAt = lease?.owner === this.#owner() ? lease.takenAt : undefined;
    const same = takenAt !== undefined && takenAt === this.#takenAt;
    this.#takenAt = takenAt;
    return same;
  }

  /**
   * Gives up the lease now, if held (a stop or a drain), and signals it, so a follower takes it
   * at once. `until` is what this node then counts as its lease (0 at a stop: it looks no more).
   */
  async stepDown(until = -1): Promise<void> {
    if (this.#until <= 0) return;
    this.#until = until;
    const { store, logger } = this.#options;
    // A store that is away cannot be told; the lease then lapses by itself.
    try {
      if (await store.releaseLease(leaderLeaseName, this.#owner()))
        await store.signal(leaderLeaseSignal, 'released');
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'giving up the scheduler lease failed');
    }
  }

  /** The lease as the store knows it: its name and this node's owner id (for fenced writes). */
  get held(): { readonly name: string; readonly owner: string } {
    return { name: leaderLeaseName, owner: this.#owner() };
  }

  /** Held, but not led from the stored cursor yet (taking over failed): the next tick takes over again. */
  markFollower(): void {
    this.#until = -1;
  }

  /**
   * How long until the scheduler looks again, its next fire being `untilNext` away: the leader
   * wakes to renew its lease every third of it; a follower looks for the lease every poll (a fire
   * already due that it may not make must not wake it again at once).
   */
  untilLook(untilNext: number): number {
    // (One whose lease lapsed while it was busy or the clock jumped takes it back at once.)
    if (this.#until === -1) return this.#options.pollMs ?? defaultLeaderPollMs;
    if (this.#until === 0) return untilNext;
    return Math.min(untilNext, this.#leaseMs() / 3);
  }

  #owner(): string {
    return this.#options.leaseOwner ?? this.#options.node;
  }

  #leaseMs(): number {
    return this.#options.leaseMs ?? defaultLeaderLeaseMs;
  }
}
