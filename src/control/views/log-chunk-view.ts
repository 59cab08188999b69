import { z } from 'zod';
import type { LogChunk } from '../../store/index.ts';
import { iso } from './run-view.ts';

export const logChunkViewSchema = z.object({
  seq: z.int(),
  at: z.string(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
});

export type LogChunkView = z.output<typeof logChunkViewSchema>;

/** A chunk of a run's output as the API shows it, secret values masked. */
export function logChunkView(chunk: LogChunk, redact: (text: string) => string): LogChunkView {
  return { seq: chunk.seq, at: iso(chunk.at) as string, stream: chunk.stream, text: redact(chunk.chunk) };
}
