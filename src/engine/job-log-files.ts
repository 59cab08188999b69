/**
 * `log.file` of a job: each run's output is also appended to a file on the node that runs it,
 * as `>> file 2>&1` would, either as it is (`format: text`) or one JSON record per line
 * (`format: json`). Runs of one job (and jobs that name the same file) write through one queue per
 * file, so their appends never interleave within a chunk. Past `log.max_size` the file is rotated
 * like logrotate's numbered copies (`file.1` is the newest, `file.<keep>` the oldest kept).
 *
 * A file that cannot be written (a missing permission, a full disk) never fails a run: the problem
 * is logged once per file and the run's output is still stored.
 */
import { appendFile, mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedJob } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { LogStream } from '../store/index.ts';
import type { Clock } from '../clock/index.ts';

/** Rotated copies kept when `log.max_size` is set without `log.keep`. */
export const defaultRotatedCopies = 5;

/** The run facts a log file line needs. */
export interface LoggedRun {
  readonly id: number | string;
  readonly job: string;
  readonly fanKey: string;
}

export interface RunLogFile {
  /** Output as it arrives (the part the run's capture keeps); `truncated` when the rest is dropped. */
  write(stream: LogStream, chunk: string, truncated?: boolean): void;
  /** Writes what is still buffered (a JSON line without its newline) and waits for the appends. */
  end(): Promise<void>;
}

/** The file a run of the job appends to: `{job}` and `{fan_key}` replaced (path separators in them become `_`). */
export function logFilePathOf(job: ResolvedJob, run: LoggedRun): string | undefined {
  const template = job.log.file;
  if (template === undefined) return undefined;
  const safe = (value: string) => value.replace(/[/\\\0]/g, '_');
  return template.replaceAll('{job}', safe(run.job)).replaceAll('{fan_key}', safe(run.fanKey));
}

export class JobLogFiles {
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #tails = new Map<string, Promise<void>>();
  /** Known sizes, so rotation needs no stat per append. */
  readonly #sizes = new Map<string, number>();
  readonly #failed = new Set<string>();

  constructor(options: { readonly logger: Logger; readonly clock: Clock }) {
    this.#logger = options.logger;
    this.#clock = options.clock;
  }

  /** A writer for one run, or undefined when the job has no `log.file`. */
  open(job: ResolvedJob, run: LoggedRun): RunLogFile | undefined {
    const file = logFilePathOf(job, run);
    if (file === undefined) return undefined;
    const { format, maxSizeBytes } = job.log;
    const keep = job.log.keep ?? defaultRotatedCopies;
    const pending: Promise<void>[] = [];
    const partial: Record<string, string> = {};
    const append = (text: string) => {
      if (text === '') return;
      pending.push(this.#append(file, text, maxSizeBytes, keep));
    };
    const record = (stream: string, line: string) =>
      `${JSON.stringify({
        time: new Date(this.#clock.now()).toISOString(),
        job: run.job,
        run: run.id,
        ...(run.fanKey === '' ? {} : { fan_key: run.fanKey }),
        stream,
        line,
      })}\n`;
    const truncationNote = 'output reached the capture limit: the rest was not kept';
    return {
      write(stream, chunk, truncated) {
        if (format === 'text') {
          append(truncated === true ? `${chunk}[cronplane] ${truncationNote}\n` : chunk);
          return;
        }
        const lines = `${partial[stream] ?? ''}${chunk}`.split('\n');
        partial[stream] = lines.pop() ?? '';
        let text = lines.map((line) => record(stream, line)).join('');
        if (truncated === true) text += record('system', truncationNote);
        append(text);
      },
      async end() {
        if (format === 'json') {
          for (const [stream, rest] of Object.entries(partial)) {
            if (rest !== '') append(record(stream, rest));
          }
        }
        await Promise.all(pending);
      },
    };
  }

  /** Waits for every append queued so far. */
  async drain(): Promise<void> {
    await Promise.all([...this.#tails.values()]);
  }

  #append(file: string, text: string, maxSizeBytes: number | undefined, keep: number): Promise<void> {
    const previous = this.#tails.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        await this.#write(file, text, maxSizeBytes, keep);
        this.#failed.delete(file);
      } catch (thrown) {
        if (!this.#failed.has(file)) {
          this.#failed.add(file);
          this.#logger.warn(
            { err: coerceError(thrown), file },
            `cannot append to the log file ${file}; the output is still stored with the run`,
          );
        }
        this.#sizes.delete(file);
      }
    });
    this.#tails.set(file, next);
    void next.then(() => {
      if (this.#tails.get(file) === next) this.#tails.delete(file);
    });
    return next;
  }

  async #write(file: string, text: string, maxSizeBytes: number | undefined, keep: number): Promise<void> {
    const bytes = Buffer.byteLength(text);
    let size = this.#sizes.get(file);
    if (size === undefined) {
      await mkdir(path.dirname(file), { recursive: true });
      size = await stat(file).then(
        (info) => info.size,
        () => 0,
      );
    }
    if (maxSizeBytes !== undefined && size > 0 && size + bytes > maxSizeBytes) {
      await rotate(file, keep);
      size = 0;
    }
    await appendFile(file, text);
    this.#sizes.set(file, size + bytes);
  }
}

/** file → file.1 → ... → file.<keep>; the oldest copy beyond `keep` is overwritten (keep 0: no copies). */
async function rotate(file: string, keep: number): Promise<void> {
  if (keep <= 0) {
    await unlink(file).catch(() => undefined);
    return;
  }
  for (let index = keep - 1; index >= 1; index--) {
    await rename(`${file}.${index}`, `${file}.${index + 1}`).catch(() => undefined);
  }
  await rename(file, `${file}.1`);
}
