/**
 * The Server-Sent Event streams that are open, so that closing the server ends them at once
 * instead of waiting for the runs they follow to end.
 */
export class LiveStreams {
  readonly #open = new Set<AbortController>();
  #closed = false;

  /** A signal that aborts when the stream must end; give it back with `done`. */
  open(): AbortController {
    const controller = new AbortController();
    if (this.#closed) controller.abort(new Error('the server is closing'));
    else this.#open.add(controller);
    return controller;
  }

  done(controller: AbortController): void {
    this.#open.delete(controller);
  }

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    this.#closed = true;
    for (const controller of this.#open) controller.abort(new Error('the server is closing'));
    this.#open.clear();
  }
}
