import { z } from 'zod';
import { RunStatus } from '../../store/index.ts';

const instant = z.string().describe('ISO 8601 instant, UTC');

const statusCounts = z
  .partialRecord(z.enum(Object.keys(RunStatus) as [RunStatus, ...RunStatus[]]), z.int())
  .describe('runs per status; statuses with none are left out');

export const runStatsSchema = z
  .object({
    job: z.string().nullable().describe('the job counted, or null for every job'),
    from: instant,
    to: instant,
    bucketMs: z
      .int()
      .describe('the width of a bucket; buckets are aligned to the epoch (a day starts at 00:00 UTC)'),
    buckets: z
      .array(z.object({ start: instant, total: z.int(), counts: statusCounts }))
      .describe('every bucket the range touches, oldest first, empty ones included'),
    totals: statusCounts,
  })
  .describe('runs counted per status per bucket of their scheduled time');
export type RunStatsView = z.output<typeof runStatsSchema>;
