import type { Caller } from '../http/caller.ts';
import { ApiError } from '../http/api-error.ts';

/** How many live-log streams may be open at once. */
export interface LiveStreamLimit {
  /** Streams one token may hold open. */
  readonly perToken: number;
  /** Streams the server holds open in all. */
  readonly total: number;
}

/** 10 streams per token, 200 in all. */
export const defaultLiveStreamLimit: LiveStreamLimit = { perToken: 10, total: 200 };

/**
 * The Server-Sent Event streams that are open: counted per token and in all (a stream past either
 * limit is refused with a 429 before it starts), and ended at once when the server closes instead
 * of waiting for the runs they follow to end.
 */
export class LiveStreams {
  readonly limit: LiveStreamLimit;
  readonly #open = new Map<AbortController, string>();
  readonly #perToken = new Map<string, number>();
  #closed = false;

  constructor(limit: LiveStreamLimit) {
    this.limit = limit;
  }

  /**
   * A signal that aborts when the caller's stream must end; give it back with `done`. Throws a
   * 429 when the caller's token or the server holds as many streams as it may.
   */
  open(caller: Caller): AbortController {
    const controller = new AbortController();
    if (this.#closed) {
      controller.abort(new Error('the server is closing'));
      return controller;
    }
    const held = this.#perToken.get(caller.tokenId) ?? 0;
    if (held >= this.limit.perToken) {
      throw new ApiError(
        429,
        'api.too-many-streams',
        `token "${caller.name}" has ${held} live streams open, the most one token may; close one first`,
      );
    }
    if (this.#open.size >= this.limit.total) {
      throw new ApiError(
        429,
        'api.too-many-streams',
        `the server has ${this.#open.size} live streams open, the most it serves; try again when one ends`,
      );
    }
    this.#open.set(controller, caller.tokenId);
    this.#perToken.set(caller.tokenId, held + 1);
    return controller;
  }

  /** Gives a stream back (again is harmless). */
  done(controller: AbortController): void {
    const tokenId = this.#open.get(controller);
    if (tokenId === undefined) return;
    this.#open.delete(controller);
    const held = (this.#perToken.get(tokenId) ?? 1) - 1;
    if (held > 0) this.#perToken.set(tokenId, held);
    else this.#perToken.delete(tokenId);
  }

  get size(): number {
    return this.#open.size;
  }

  /** Streams the token holds open. */
  heldBy(tokenId: string): number {
    return this.#perToken.get(tokenId) ?? 0;
  }

  closeAll(): void {
    this.#closed = true;
    for (const controller of this.#open.keys()) controller.abort(new Error('the server is closing'));
    this.#open.clear();
    this.#perToken.clear();
  }
}
