import { StringDecoder } from 'node:string_decoder';
import { formatBytes } from './format-amount.ts';
import type { OutputSink, OutputStream } from './output-sink.ts';
import type { MaskStream, SecretMask } from '../config/index.ts';

type WorkStream = Exclude<OutputStream, 'system'>;

/**
 * Passes a run's output to its sink as it arrives, up to a byte limit shared by stdout and
 * stderr. Past the limit bytes are counted and dropped, so a flood of output costs no memory.
 * Bytes are decoded per stream as UTF-8 without splitting a character; secret values are masked.
 * `system` lines (cronplane's own words about the run) are not counted against the limit.
 */
export class OutputCapture {
  readonly #sink: OutputSink;
  readonly #limit: number;
  readonly #mask: SecretMask | undefined;
  #kept = 0;
  #total = 0;
  #truncated = false;
  #stdout: StreamState | undefined;
  #stderr: StreamState | undefined;

  constructor(sink: OutputSink, limitBytes: number, mask?: SecretMask) {
    this.#sink = sink;
    this.#limit = Math.max(0, limitBytes);
    this.#mask = mask === undefined || mask.empty ? undefined : mask;
  }

  /** Bytes produced, kept or dropped. */
  get bytes(): number {
    return this.#total;
  }

  get truncated(): boolean {
    return this.#truncated;
  }

  /** Raw bytes from the work. */
  write(stream: WorkStream, chunk: Uint8Array): void {
    this.#total += chunk.length;
    if (this.#truncated) return;
    const room = this.#limit - this.#kept;
    if (chunk.length <= room) {
      this.#kept += chunk.length;
      this.#emit(stream, this.#state(stream).decoder.write(chunk));
      return;
    }
    let cut = room;
    // Cut before a UTF-8 continuation byte so the kept text ends on a whole character.
    while (cut > 0 && ((chunk[cut] as number) & 0xc0) === 0x80) cut--;
    this.#kept += cut;
    if (cut > 0) this.#emit(stream, this.#state(stream).decoder.write(chunk.subarray(0, cut)));
    this.#truncate();
  }

  /** Text from the work (a module's log lines). */
  writeText(stream: WorkStream, text: string): void {
    const length = Buffer.byteLength(text);
    if (this.#truncated) {
      this.#total += length;
      return;
    }
    if (length > this.#limit - this.#kept) {
      this.write(stream, Buffer.from(text));
      return;
    }
    this.#total += length;
    this.#kept += length;
    this.#emit(stream, text);
  }

  /** A line of cronplane's own about the run. */
  system(line: string): void {
    const masked = this.#mask === undefined ? line : this.#mask.redact(line);
    this.#send('system', masked.endsWith('\n') ? masked : `${masked}\n`);
  }

  /** Flushes what decoders and masks still hold; call once when the work has ended. */
  finish(): void {
    if (!this.#truncated) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const state = stream === 'stdout' ? this.#stdout : this.#stderr;
        if (state !== undefined) this.#emit(stream, state.decoder.end());
      }
    }
    this.#flushMasks();
  }

  #truncate(): void {
    this.#truncated = true;
    this.#flushMasks();
    this.system(
      `output reached the capture limit of ${formatBytes(this.#limit)}: the rest is counted but not kept`,
    );
  }

  #flushMasks(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const masking = (stream === 'stdout' ? this.#stdout : this.#stderr)?.masking;
      if (masking !== undefined) this.#send(stream, masking.end());
    }
  }

  #emit(stream: WorkStream, text: string): void {
    if (text === '') return;
    const masking = this.#state(stream).masking;
    this.#send(stream, masking === undefined ? text : masking.push(text));
  }

  #send(stream: OutputStream, text: string): void {
    if (text === '') return;
    try {
      this.#sink.onOutput(stream, text);
    } catch {
      // A failing sink loses this chunk; the run goes on.
    }
  }

  #state(stream: WorkStream): StreamState {
    if (stream === 'stdout') return (this.#stdout ??= this.#newState());
    return (this.#stderr ??= this.#newState());
  }

  #newState(): StreamState {
    return { decoder: new StringDecoder('utf8'), masking: this.#mask?.stream() };
  }
}

interface StreamState {
  readonly decoder: StringDecoder;
  readonly masking: MaskStream | undefined;
}
