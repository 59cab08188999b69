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

export const logPageSchema = z.object({
  runId: z.int(),
  status: z.string(),
  chunks: z.array(logChunkViewSchema),
  nextAfter: z.int().describe('pass as ?after= to read on'),
  done: z.boolean().describe('the run ended and every chunk was read'),
  truncated: z.boolean().describe("output was cut at the job's capture limit"),
});
export type LogPage = z.output<typeof logPageSchema>;

/** A chunk of a run's output as the API shows it, secret values masked. */
export function logChunkView(chunk: LogChunk, redact: (text: string) => string): LogChunkView {
  return { seq: chunk.seq, at: iso(chunk.at) as string, stream: chunk.stream, text: redact(chunk.chunk) };
}
