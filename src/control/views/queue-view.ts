import { z } from 'zod';
import { runViewSchema } from './run-view.ts';

const instant = z.string().describe('ISO 8601 instant, UTC');

/** Why an item of a queue is counted stuck. */
export const StuckReason = {
  /** Released (pending) and not claimed within the job's `start_deadline`, else 15 minutes. */
  unclaimed: 'unclaimed',
  /** Running, and its node stopped renewing its lease: the lost-run sweep will end it. */
  'lease-expired': 'lease-expired',
  /** Running longer than the job's `max_runtime`, else its `timeout`. */
  'over-runtime': 'over-runtime',
} as const;
export type StuckReason = keyof typeof StuckReason;

export const queueKeySchema = z.object({
  key: z.string().nullable(),
  waiting: z.int().describe('held, not released yet'),
  released: z.int().describe('released, not claimed yet'),
  running: z.int(),
});

export const queueItemSchema = runViewSchema
  .extend({ priority: z.int().describe('higher first among items released together') })
  .describe('a waiting item: its run, with its priority');
export type QueueItemView = z.output<typeof queueItemSchema>;

export const stuckItemSchema = z.object({
  run: runViewSchema,
  reason: z.enum(Object.keys(StuckReason) as [StuckReason, ...StuckReason[]]),
  detail: z.string().describe('what was found and the limit it passed, in words'),
});
export type StuckItemView = z.output<typeof stuckItemSchema>;

export const queueSummarySchema = z
  .object({
    job: z.string(),
    paused: z.boolean().describe('a paused job releases nothing'),
    limits: z.object({
      key: z.string().nullable(),
      perKey: z.int().nullable(),
      maxPerRun: z.int().nullable(),
    }),
    waiting: z.int(),
    released: z.int(),
    running: z.int(),
    keys: z.array(queueKeySchema).describe('per queue key value, by key'),
    oldestWaitingAt: instant
      .nullable()
      .describe('when the oldest waiting item was enqueued; null when none waits'),
    oldestWaitingAgeMs: z.int().nullable().describe("its age by the daemon's clock"),
    stuckCount: z.int().describe('items stuck (at most 1,000 counted)'),
    stuckAfter: z
      .object({
        releasedMs: z
          .int()
          .describe("a released item not claimed for this long: the job's start_deadline, else 15m"),
        runningMs: z
          .int()
          .nullable()
          .describe('a running item running this long: max_runtime, else timeout; null when neither is set'),
      })
      .describe(
        'the limits past which an item counts as stuck (a running item with an expired lease is stuck too)',
      ),
  })
  .describe('a queue job: its items counted per key, the oldest waiting item, the stuck ones');
export type QueueSummaryView = z.output<typeof queueSummarySchema>;

export const queueViewSchema = queueSummarySchema
  .extend({
    next: z.array(queueItemSchema).describe('the oldest waiting items, up to 50, in the order they drain'),
    stuck: z.array(stuckItemSchema).describe('the stuck items, oldest first, up to 100'),
  })
  .describe('a queue job with its next items to drain and its stuck items');
export type QueueView = z.output<typeof queueViewSchema>;
