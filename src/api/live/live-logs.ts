import type { Logger } from '../../logging/index.ts';
import type { Store } from '../../store/index.ts';
import type { LiveLogFollower } from './live-log-follower.ts';
import { RunLogSource } from './run-log-source.ts';

export interface LiveLogsOptions {
  readonly store: Pick<Store, 'readLogs' | 'getRun'>;
  /** How often a run's source looks for new output, in ms. */
  readonly pollMs: number;
  readonly redact: (text: string) => string;
  readonly logger: Logger;
}

/**
 * The live-log sources of one server: one per followed run, started by its first follower and
 * stopped by its last (or by the run's end), however many streams follow that run.
 */
export class LiveLogs {
  readonly #options: LiveLogsOptions;
  readonly #sources = new Map<number, RunLogSource>();

  constructor(options: LiveLogsOptions) {
    this.#options = options;
  }

  /** Runs followed now (one source each). */
  get sources(): number {
    return this.#sources.size;
  }

  /** Starts following a run from `follower.after`; call the answer to stop. */
  follow(runId: number, follower: LiveLogFollower): () => void {
    let source = this.#sources.get(runId);
    if (source === undefined) {
      source = new RunLogSource({
        ...this.#options,
        runId,
        onStopped: (stopped) => {
          if (this.#sources.get(stopped.runId) === stopped) this.#sources.delete(stopped.runId);
        },
      });
      this.#sources.set(runId, source);
      source.add(follower);
      source.start();
    } else {
      source.add(follower);
    }
    const joined = source;
    return () => joined.remove(follower);
  }
}
