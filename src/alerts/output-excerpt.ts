import type { LogChunk } from '../store/index.ts';

export interface ExcerptBounds {
  /** Lines kept at most. */
  readonly lines: number;
  /** UTF-8 bytes kept at most. */
  readonly bytes: number;
}

/** What an alert shows of a run's output: its last lines (a command) or its start (an HTTP body). */
export interface OutputExcerpt {
  readonly text: string;
  /** True when output was left out beyond the bounds. */
  readonly cut: boolean;
  /** Lines of output there were in all. */
  readonly totalLines: number;
}

/**
 * The work's own output (stdout and stderr, not cronplane's `system` lines) cut to the bounds:
 * the last lines for `tail`, the first for `head`, never splitting a character. Undefined when
 * the run printed nothing but blank lines, or the bounds keep nothing.
 */
export function outputExcerpt(
  chunks: readonly LogChunk[],
  from: 'head' | 'tail',
  bounds: ExcerptBounds,
): OutputExcerpt | undefined {
  if (bounds.lines <= 0 || bounds.bytes <= 0) return undefined;
  const output = chunks
    .filter((chunk) => chunk.stream !== 'system')
    .map((chunk) => chunk.chunk)
    .join('');
  const lines = output
    .replace(/\s+$/, '')
    .replace(/^(?:[ \t]*\n)+/, '')
    .split('\n');
  if (lines.length === 1 && lines[0] === '') return undefined;
  let kept = from === 'tail' ? lines.slice(-bounds.lines) : lines.slice(0, bounds.lines);
  let cut = kept.length < lines.length;
  let text = kept.join('\n');
  const bytes = Buffer.from(text);
  if (bytes.length > bounds.bytes) {
    cut = true;
    text = from === 'tail' ? tailBytes(bytes, bounds.bytes) : headBytes(bytes, bounds.bytes);
    kept = text.split('\n');
  }
  return { text: kept.join('\n'), cut, totalLines: lines.length };
}

function tailBytes(bytes: Buffer, max: number): string {
  let start = bytes.length - max;
  // Start on a whole character: skip UTF-8 continuation bytes.
  while (start < bytes.length && ((bytes[start] as number) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

function headBytes(bytes: Buffer, max: number): string {
  let end = max;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
