import type { Logger } from '../../logging/index.ts';
import { storeFaultOf } from './store-fault.ts';

/** What a store call did: read, or write (a write also proves the write lock can be had). */
export const StoreAccess = { read: 'read', write: 'write' } as const;
export type StoreAccess = keyof typeof StoreAccess;

/** The store as this node last found it. */
export type StoreHealthState =
  | { readonly status: 'ok' }
  | {
      readonly status: 'unavailable';
      /** When the first call failed (epoch ms). */
      readonly since: number;
      /** Calls that failed since then, by every loop of the node. */
      readonly attempts: number;
      /** The latest failure's reason ("database is locked (another process holds the write lock)"). */
      readonly reason: string;
      /** A write failed: only a write that works ends the fault (reads may work while writes cannot). */
      readonly writes: boolean;
    };

export interface StoreHealthOptions {
  readonly logger: Logger;
  /** The time (epoch ms); the engine's clock in the daemon. */
  readonly now: () => number;
}

/**
 * Whether the store can be written, as every loop of the node finds it: each store call tells
 * it how it went (see `watchStoreHealth`). Two states, and a log line for each change between
 * them: one warning when the store goes away, one line when it is back with how long it was
 * away and how many calls failed meanwhile. Loops do not log store faults themselves; `/readyz`
 * reads the state.
 */
export class StoreHealth {
  readonly #options: StoreHealthOptions;
  #state: StoreHealthState = { status: 'ok' };

  constructor(options: StoreHealthOptions) {
    this.#options = options;
  }

  get state(): StoreHealthState {
    return this.#state;
  }

  /** Records a failed call; answers whether it was a store fault (else it says nothing about the store). */
  failed(thrown: unknown, access: StoreAccess): boolean {
    const reason = storeFaultOf(thrown);
    if (reason === undefined) return false;
    const state = this.#state;
    const writes = access === 'write';
    if (state.status === 'unavailable') {
      this.#state = { ...state, attempts: state.attempts + 1, reason, writes: state.writes || writes };
      return true;
    }
    const since = this.#options.now();
    this.#state = { status: 'unavailable', since, attempts: 1, reason, writes };
    this.#options.logger.warn(
      { store: 'unavailable', reason, access, since: new Date(since).toISOString() },
      `store unavailable: ${reason}; retrying with back-off (up to 5 s apart)`,
    );
    return true;
  }

  /** Records a call that worked: ends a fault, unless writes failed and this was a read. */
  succeeded(access: StoreAccess): void {
    const state = this.#state;
    if (state.status === 'ok' || (state.writes && access === 'read')) return;
    this.#state = { status: 'ok' };
    const awayMs = Math.max(0, this.#options.now() - state.since);
    this.#options.logger.info(
      { store: 'available', awayMs, attempts: state.attempts, reason: state.reason },
      `store available again after ${formatSeconds(awayMs)} and ${state.attempts} failed attempt${state.attempts === 1 ? '' : 's'}`,
    );
  }

  /** The reason `/readyz` gives while the store is unavailable; undefined when it is not. */
  describe(): string | undefined {
    const state = this.#state;
    if (state.status === 'ok') return undefined;
    return (
      `store cannot ${state.writes ? 'write' : 'be reached'}: ${state.reason} ` +
      `since ${new Date(state.since).toISOString()} (${state.attempts} failed attempt${state.attempts === 1 ? '' : 's'})`
    );
  }
}

function formatSeconds(ms: number): string {
  return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}
