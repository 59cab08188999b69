import { isPlainObject } from './extract-metrics.ts';

/** Longest line considered for metrics; longer lines are skipped without being held. */
export const maxJsonLineBytes = 64 * 1024;

const newline = 0x0a;

/**
 * Remembers the last line of a byte stream that parses as a JSON object, reading every byte but
 * holding at most one line of `maxLineBytes`: it sees all of stdout even when the capture limit
 * dropped the text, with flat memory under a flood. Only lines that start with `{` and end with
 * `}` (spaces and `\r` aside) are parsed.
 */
export class LastJsonLine {
  readonly #maxLineBytes: number;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #overflow = false;
  #last: Record<string, unknown> | undefined;

  constructor(maxLineBytes = maxJsonLineBytes) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** The last JSON object seen so far. */
  get value(): Record<string, unknown> | undefined {
    return this.#last;
  }

  push(chunk: Buffer): void {
    const lastNewline = chunk.lastIndexOf(newline);
    if (lastNewline === -1) {
      this.#hold(chunk);
      return;
    }
    // Look at this chunk's complete lines from the end; the first that parses wins.
    let end = lastNewline;
    while (end >= 0) {
      const start = end === 0 ? 0 : chunk.lastIndexOf(newline, end - 1) + 1;
      const found =
        start === 0 ? this.#parseFirst(chunk.subarray(0, end)) : parse(chunk.subarray(start, end));
      if (found !== undefined) {
        this.#last = found;
        break;
      }
      if (start === 0) break;
      end = start - 1;
    }
    this.#partial = [];
    this.#partialBytes = 0;
    this.#overflow = false;
    this.#hold(chunk.subarray(lastNewline + 1));
  }

  /** The stream ended: a last line without a newline counts too. */
  end(): void {
    const found = this.#parseFirst(Buffer.alloc(0));
    if (found !== undefined) this.#last = found;
    this.#partial = [];
    this.#partialBytes = 0;
  }

  /** The line made of what is held and the start of this chunk. */
  #parseFirst(head: Buffer): Record<string, unknown> | undefined {
    if (this.#overflow || this.#partialBytes + head.length > this.#maxLineBytes) return undefined;
    if (this.#partialBytes === 0) return parse(head);
    return parse(Buffer.concat([...this.#partial, head]));
  }

  #hold(bytes: Buffer): void {
    if (bytes.length === 0 || this.#overflow) return;
    if (this.#partialBytes + bytes.length > this.#maxLineBytes) {
      this.#overflow = true;
      this.#partial = [];
      this.#partialBytes = 0;
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.#partial.push(Buffer.from(bytes));
    this.#partialBytes += bytes.length;
  }
}

function parse(line: Buffer): Record<string, unknown> | undefined {
  let start = 0;
  let end = line.length;
  while (start < end && isBlank(line[start] as number)) start++;
  while (end > start && isBlank(line[end - 1] as number)) end--;
  if (end - start < 2 || line[start] !== 0x7b || line[end - 1] !== 0x7d) return undefined;
  try {
    const value: unknown = JSON.parse(line.toString('utf8', start, end));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d;
}
