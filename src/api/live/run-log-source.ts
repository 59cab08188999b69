import { coerceError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { LogChunk, RunRecord, Store } from '../../store/index.ts';
import { isTerminalRunStatus } from '../../store/index.ts';
import { errorAnswer } from '../http/error-answer.ts';
import { logChunkView } from '../../control/index.ts';
import type { LiveLogFollower } from './live-log-follower.ts';

export interface RunLogSourceOptions {
  readonly store: Pick<Store, 'readLogs' | 'getRun'>;
  readonly runId: number;
  /** How long the source waits between looks at the store. */
  readonly pollMs: number;
  readonly redact: (text: string) => string;
  readonly logger: Logger;
  /** Called once when the source has stopped (last follower gone, run ended, or a failure). */
  readonly onStopped: (source: RunLogSource) => void;
}

/** Chunks read from the store per query. */
const pageSize = 1000;
/** A comment is sent when nothing was written for this long, to keep idle connections open. */
const keepAliveMs = 15_000;

/**
 * The one reader of a run's output for every live stream that follows it: it polls the store,
 * turns each new chunk into its event text once, and writes it to each follower that lacks it.
 * Followers keep their own position, so one that joins late (or resumes after Last-Event-ID)
 * is caught up from the store by the same reads before it gets the live tail. The run's status is
 * read when a look found no new output (or someone joined): once it has ended, the rest of the
 * output and an `end` event go to every follower and the source stops.
 */
export class RunLogSource {
  readonly runId: number;
  readonly #options: RunLogSourceOptions;
  readonly #followers = new Set<LiveLogFollower>();
  #joined = false;
  #stopped = false;
  #wake: (() => void) | undefined;
  #lastWrite = Date.now();

  constructor(options: RunLogSourceOptions) {
    this.#options = options;
    this.runId = options.runId;
  }

  get followers(): number {
    return this.#followers.size;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    void this.#follow();
  }

  add(follower: LiveLogFollower): void {
    this.#followers.add(follower);
    this.#joined = true;
    this.#wake?.();
  }

  /** Takes a follower off; the last one leaving stops the source. */
  remove(follower: LiveLogFollower): void {
    this.#followers.delete(follower);
    if (this.#followers.size === 0) this.#stop();
  }

  async #follow(): Promise<void> {
    try {
      while (!this.#stopped) {
        const sent = await this.#flush();
        if (this.#stopped) return;
        if (sent === 0 || this.#joined) {
          this.#joined = false;
          const run = await this.#options.store.getRun(this.runId);
          if (run === undefined || isTerminalRunStatus(run.status)) {
            await this.#flush();
            this.#end(run);
            return;
          }
        }
        if (Date.now() - this.#lastWrite > keepAliveMs) this.#writeAll(': keep-alive\n\n');
        await this.#sleep();
      }
    } catch (thrown) {
      const answer = errorAnswer(thrown);
      if (answer.internal) {
        this.#options.logger.error({ err: coerceError(thrown), run: this.runId }, 'live log stream failed');
      }
      this.#finishAll(event('error', answer.body, this.#options.redact));
    } finally {
      this.#stop();
    }
  }

  /** Reads what some follower lacks and writes it to those that lack it; the number of chunks read. */
  async #flush(): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.#stopped || this.#followers.size === 0) return total;
      const from = Math.min(...[...this.#followers].map((follower) => follower.after));
      const chunks = await this.#options.store.readLogs(this.runId, { afterSeq: from, limit: pageSize });
      // A follower that joined during the read, behind where it started, waits for the next page.
      const ready = [...this.#followers].filter((follower) => follower.after >= from);
      for (const chunk of chunks) {
        const text = this.#chunkEvent(chunk);
        for (const follower of ready) {
          if (chunk.seq <= follower.after) continue;
          follower.write(text);
          follower.after = chunk.seq;
        }
      }
      if (chunks.length > 0) this.#lastWrite = Date.now();
      total += chunks.length;
      const behind = [...this.#followers].some((follower) => follower.after < from);
      if (chunks.length < pageSize && !behind) return total;
    }
  }

  #chunkEvent(chunk: LogChunk): string {
    const { redact } = this.#options;
    return event('log', logChunkView(chunk, redact), redact, chunk.seq);
  }

  #end(run: RunRecord | undefined): void {
    this.#finishAll(
      event(
        'end',
        { status: run?.status ?? 'unknown', exitCode: run?.exitCode ?? null, error: run?.error ?? null },
        this.#options.redact,
      ),
    );
  }

  #writeAll(text: string): void {
    for (const follower of this.#followers) follower.write(text);
    this.#lastWrite = Date.now();
  }

  #finishAll(text: string): void {
    const followers = [...this.#followers];
    this.#followers.clear();
    for (const follower of followers) {
      follower.write(text);
      follower.finish();
    }
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#options.pollMs);
      this.#wake = done;
    });
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#wake?.();
    this.#options.onStopped(this);
  }
}

/** The text of one Server-Sent Event, its data masked. */
function event(name: string, data: unknown, redact: (text: string) => string, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${redact(JSON.stringify(data))}\n\n`;
}
