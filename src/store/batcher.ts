/**
 * Group commit: calls made while a write is being prepared or in flight are written together in
 * the next one, each call resolving with its own result. One worker finishing hundreds of runs
 * then costs a handful of transactions instead of hundreds.
 */
interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<I, O> {
  readonly #write: (items: readonly I[]) => Promise<readonly O[]>;
  readonly #maxBatch: number;
  #queue: Pending<I, O>[] = [];
  #scheduled = false;
  #running: Promise<void> | undefined;

  /** `write` returns one output per item, in order; if it throws, every call of that batch rejects. */
  constructor(write: (items: readonly I[]) => Promise<readonly O[]>, maxBatch = 1000) {
    this.#write = write;
    this.#maxBatch = maxBatch;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once every call made so far is written. */
  async drain(): Promise<void> {
    while (this.#running !== undefined || this.#queue.length > 0) await this.#start();
  }

  #schedule(): void {
    if (this.#scheduled || this.#running !== undefined) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#start();
    });
  }

  #start(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
      // Calls made between the last write and this moment.
      if (this.#queue.length > 0) this.#schedule();
    });
    return this.#running;
  }

  /** Never rejects: a failed write rejects the calls of its batch. */
  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        const outputs = await this.#write(batch.map((pending) => pending.item));
        batch.forEach((pending, index) => pending.resolve(outputs[index] as O));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }
}
