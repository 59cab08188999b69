import { z } from 'zod';
import { controlOf } from '../http/control-of.ts';
import {
  authErrors,
  badInput,
  errorBodySchema,
  instantQuery,
  jobPath,
  printable,
  wholeNumber,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { jobMetricsSchema, metricHistorySchema } from '../../control/index.ts';

const notFound = { 404: { description: 'no such job in the job file', schema: errorBodySchema } } as const;

export const listJobMetrics = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/metrics',
  operationId: 'listJobMetrics',
  tag: 'jobs',
  summary: "The metrics a job's runs reported, per fan-out key, and the guards on each",
  description:
    'Every metric name with the fan-out keys it was reported for (how many values, the first and last time); ' +
    'a metric a guard names appears even before any run reported it.',
  access: 'read',
  path: jobPath,
  responses: {
    200: { description: "the job's metrics", schema: jobMetricsSchema },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    return json(200, await controlOf(context, caller).listJobMetrics(path.job));
  },
});

export const getMetricHistory = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/metrics/history',
  operationId: 'getMetricHistory',
  tag: 'jobs',
  summary: 'One metric of a job over a time range, per fan-out key, down-sampled on the server when long',
  description:
    '`metric` names the metric. `from`/`to` bound the time the values were reported (from inclusive, to exclusive; default the last 30 days). ' +
    'When a key has more values in the range than `points` (default 500), every key is answered in buckets of one ' +
    'width aligned to the epoch (`bucketMs`), each with count, min, max, mean and last; otherwise each value as ' +
    'reported (a bucket of one, `bucketMs` null). With the guards on the metric and their events in the range.',
  access: 'read',
  path: jobPath,
  query: z.strictObject({
    // Required, and refused by the operation when absent, after the job: an unknown job is a 404 first.
    metric: printable(200, 'a metric name')
      .optional()
      .describe('the metric, named as the runs report it (required)'),
    key: printable(500, 'a fan-out key')
      .optional()
      .describe('one fan-out key only (a tenant); every key when absent'),
    from: instantQuery.optional(),
    to: instantQuery.optional(),
    points: wholeNumber(10, 2000, 'a point count')
      .optional()
      .describe('most points per key, 10-2000 (default 500)'),
  }),
  responses: {
    200: { description: 'the metric over the range', schema: metricHistorySchema },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context }) {
    const history = await controlOf(context, caller).getMetricHistory(path.job, query.metric ?? '', {
      ...(query.key === undefined ? {} : { key: query.key }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(query.points === undefined ? {} : { points: query.points }),
    });
    return json(200, history);
  },
});

export const metricRoutes: readonly ApiRoute[] = [listJobMetrics, getMetricHistory];
