import { z } from 'zod';
import type { GuardEntry } from '../../config/index.ts';
import { lookbackOf } from '../../guards/index.ts';
import { eventViewSchema } from './event-view.ts';

const instant = z.string().describe('ISO 8601 instant, UTC');

/** A guard on a metric as a chart draws it: its fixed bounds, or the settings of its baseline band. */
export const guardViewSchema = z
  .object({
    name: z.string(),
    metric: z.string(),
    above: z.number().nullable().describe('breaks when a value is greater'),
    below: z.number().nullable().describe('breaks when a value is less'),
    riseBy: z.number().nullable().describe('breaks when a value exceeds the baseline by more'),
    dropBy: z.number().nullable().describe('breaks when a value falls short of the baseline by more'),
    baseline: z.enum(['mean', 'median']).describe('of the last `lookback` earlier successful runs'),
    lookback: z.int(),
    perKey: z.boolean().describe('each fan-out key is judged against its own history'),
    severity: z.string(),
  })
  .describe('a guard on the metric');
export type GuardView = z.output<typeof guardViewSchema>;

export function guardView(name: string, guard: GuardEntry): GuardView {
  return {
    name,
    metric: guard.metric,
    above: guard.above ?? null,
    below: guard.below ?? null,
    riseBy: guard.rise_by ?? null,
    dropBy: guard.drop_by ?? null,
    baseline: guard.baseline ?? 'mean',
    lookback: lookbackOf(guard),
    perKey: guard.per_key === true,
    severity: guard.severity ?? 'warning',
  };
}

export const jobMetricsSchema = z
  .object({
    job: z.string(),
    metrics: z.array(
      z.object({
        name: z.string(),
        guards: z.array(z.string()).describe('the guards on this metric, by name'),
        keys: z
          .array(
            z.object({
              key: z.string().describe('the fan-out key; "" when the job does not fan out'),
              points: z.int().describe('how many values are stored'),
              firstAt: instant,
              lastAt: instant,
            }),
          )
          .describe('empty for a metric a guard names that no run reported yet'),
      }),
    ),
  })
  .describe("the metrics a job's runs reported, by name, per fan-out key");
export type JobMetricsView = z.output<typeof jobMetricsSchema>;

export const metricPointSchema = z
  .object({
    at: instant.describe("the value's time (when down-sampled, the bucket's start)"),
    count: z.int().describe('values in the bucket; 1 when not down-sampled'),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    last: z.number().describe('the latest value in the bucket'),
    lastRunId: z.int().describe('the run that reported `last`'),
  })
  .describe('a value as reported, or a bucket of values');

export const metricHistorySchema = z
  .object({
    job: z.string(),
    metric: z.string(),
    from: instant,
    to: instant,
    bucketMs: z
      .int()
      .nullable()
      .describe('the width of a bucket when down-sampled (aligned to the epoch), or null'),
    series: z
      .array(z.object({ key: z.string(), points: z.array(metricPointSchema) }))
      .describe('one per fan-out key with values in the range, by key; points by time'),
    guards: z.array(guardViewSchema),
    events: z
      .array(
        z.object({
          guard: z.string(),
          key: z
            .string()
            .nullable()
            .describe("the fan-out key of a per_key guard's event; null for the whole job"),
          event: eventViewSchema,
        }),
      )
      .describe("the guards' events (guard:NAME) open at some time in the range, newest first"),
  })
  .describe('one metric of a job over a time range');
export type MetricHistoryView = z.output<typeof metricHistorySchema>;
