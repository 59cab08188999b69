import type { Logger } from '../logging/index.ts';
import type { LogStream, Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import type { Clock, TimerHandle } from '../clock/index.ts';

/** Output is written to the store at most this often, or sooner when this much has gathered. */
export const logFlushMs = 100;
export const logFlushBytes = 64 * 1024;

/**
 * Gathers a run's output and writes it to the store in a few larger chunks instead of one row
 * per line, keeping the order of the streams. Live followers see it within `logFlushMs`.
 */
export class RunLogBuffer {
  readonly #store: Store;
  readonly #runId: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #stream: LogStream | undefined;
  #parts: string[] = [];
  #bytes = 0;
  #truncated = false;
  #timer: TimerHandle | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(store: Store, runId: number, clock: Clock, logger: Logger) {
    this.#store = store;
    this.#runId = runId;
    this.#clock = clock;
    this.#logger = logger;
  }

  push(stream: LogStream, chunk: string, truncated = false): void {
    if (stream !== this.#stream && this.#parts.length > 0) this.#write();
    this.#stream = stream;
    this.#parts.push(chunk);
    this.#bytes += chunk.length;
    this.#truncated ||= truncated;
    if (this.#bytes >= logFlushBytes) this.#write();
    else this.#timer ??= this.#clock.setTimer(() => this.#write(), logFlushMs);
  }

  /** Writes what is gathered and waits for every write so far. */
  async flush(): Promise<void> {
    this.#write();
    await this.#writing;
  }

  #write(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    if ((this.#parts.length === 0 && !this.#truncated) || this.#stream === undefined) return;
    const chunk = this.#parts.join('');
    const stream = this.#stream;
    const truncated = this.#truncated;
    this.#parts = [];
    this.#bytes = 0;
    this.#truncated = false;
    const at = this.#clock.now();
    this.#writing = this.#writing.then(async () => {
      try {
        await this.#store.appendLog(this.#runId, { stream, chunk, at, truncated });
      } catch (thrown) {
        logStoreError(this.#logger, thrown, { run: this.#runId }, 'storing run output failed');
      }
    });
  }
}
