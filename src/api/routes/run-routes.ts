import { z } from 'zod';
import { parseDuration } from '../../calendar/index.ts';
import { RunStatus, RunTrigger, isRunStatus } from '../../store/index.ts';
import type { RunStatus as Status } from '../../store/index.ts';
import { controlOf } from '../http/control-of.ts';
import {
  authErrors,
  badInput,
  errorBodySchema,
  instantQuery,
  jobName,
  noBody,
  pageCursor,
  pageLimit,
  printable,
  runPath,
} from '../http/schemas.ts';
import { defineRoute, json, jsonOnce } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { runDetailSchema, runPageSchema, runStatsSchema, runViewSchema } from '../../control/index.ts';

const notFound = { 404: { description: 'no such run', schema: errorBodySchema } } as const;

const statusList = z
  .string()
  .transform((text, context) => {
    const statuses = text.split(',').filter((status) => status !== '');
    const wrong = statuses.find((status) => !isRunStatus(status));
    if (wrong !== undefined || statuses.length === 0) {
      context.addIssue({
        code: 'custom',
        message: `expected run statuses separated by commas (${Object.keys(RunStatus).join(', ')}); found "${(wrong ?? text).slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    return statuses as Status[];
  })
  .describe(`comma-separated statuses: ${Object.keys(RunStatus).join(', ')}`);

export const listRuns = defineRoute({
  method: 'GET',
  url: '/api/runs',
  operationId: 'listRuns',
  tag: 'runs',
  summary: 'List runs, newest first, filtered and paginated by cursor',
  description:
    'Filters combine, in the query (a page holds only matching runs). `key` is one fan-out key (a tenant); ' +
    '`from`/`to` bound the scheduled time (from inclusive, to exclusive). Each run comes with the metrics it reported.',
  access: 'read',
  query: z.strictObject({
    job: jobName.optional(),
    key: printable(500, 'a fan-out key').optional().describe('one fan-out key only'),
    status: statusList.optional(),
    trigger: z.enum(Object.keys(RunTrigger) as [RunTrigger, ...RunTrigger[]]).optional(),
    from: instantQuery.optional(),
    to: instantQuery.optional(),
    limit: pageLimit.optional(),
    cursor: pageCursor.optional(),
  }),
  responses: { 200: { description: 'a page of runs', schema: runPageSchema }, ...badInput, ...authErrors },
  async handle({ query, caller, context }) {
    const page = await controlOf(context, caller).listRuns({
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.key === undefined ? {} : { key: query.key }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.trigger === undefined ? {} : { trigger: query.trigger }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    // A kept page is the same object for every request until the store changes: its text too.
    return jsonOnce(200, page);
  },
});

/** A bucket width as people write durations: `15m`, `1h`, `1d`. */
const bucketWidth = z
  .string()
  .transform((text, context) => {
    try {
      return parseDuration(text);
    } catch {
      context.addIssue({
        code: 'custom',
        message: `expected a duration such as 15m, 1h or 1d; found ${JSON.stringify(text.slice(0, 40))}`,
      });
      return z.NEVER;
    }
  })
  .describe('a duration: 1m, 15m, 1h, 1d, 7d ...');

export const getRunStats = defineRoute({
  method: 'GET',
  url: '/api/runs/stats',
  operationId: 'getRunStats',
  tag: 'runs',
  summary: 'Runs counted per status per time bucket (of their scheduled time), computed in the database',
  description:
    '`from`/`to` bound the scheduled time (from inclusive, to exclusive; default the last 30 days). `bucket` is a ' +
    'duration of at least 1m giving at most 2,000 buckets; when absent the smallest of 1m, 5m, 15m, 1h, 6h, 1d and 7d ' +
    'that gives at most 200. Buckets are aligned to the epoch (a day starts at 00:00 UTC); every bucket the range ' +
    'touches is answered, empty ones included. A token limited to some jobs names one with `job`.',
  access: 'read',
  query: z.strictObject({
    job: jobName.optional(),
    from: instantQuery.optional(),
    to: instantQuery.optional(),
    bucket: bucketWidth.optional(),
  }),
  responses: { 200: { description: 'the counts', schema: runStatsSchema }, ...badInput, ...authErrors },
  async handle({ query, caller, context }) {
    const stats = await controlOf(context, caller).getRunStats({
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(query.bucket === undefined ? {} : { bucketMs: query.bucket }),
    });
    return json(200, stats);
  },
});

export const getRun = defineRoute({
  method: 'GET',
  url: '/api/runs/:id',
  operationId: 'getRun',
  tag: 'runs',
  summary: 'One run with its attempts, its changes of status and the numbers it reported',
  access: 'read',
  path: runPath,
  responses: {
    200: { description: 'the run', schema: runDetailSchema },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    return json(200, await controlOf(context, caller).getRun(path.id));
  },
});

export const retryRun = defineRoute({
  method: 'POST',
  url: '/api/runs/:id/retry',
  operationId: 'retryRun',
  tag: 'runs',
  summary: 'Retry a run that ended failed, critical, timed out, lost or cancelled',
  description:
    'Queues the next attempt of the run now (trigger `retry`, same parameters and payload; a queue item waits ' +
    'for its release again). Answers 409 for a run that has not ended or ended well.',
  access: 'trigger',
  path: runPath,
  body: noBody,
  responses: {
    202: { description: 'the new attempt', schema: z.object({ run: runViewSchema }) },
    ...badInput,
    ...authErrors,
    ...notFound,
    409: { description: 'the run cannot be retried', schema: errorBodySchema },
  },
  async handle({ path, caller, context }) {
    return json(202, { run: await controlOf(context, caller).retryRun(path.id) });
  },
});

export const cancelRun = defineRoute({
  method: 'POST',
  url: '/api/runs/:id/cancel',
  operationId: 'cancelRun',
  tag: 'runs',
  summary: 'Cancel a pending or running run',
  description:
    'A pending run (or waiting queue item) never starts; a running one is stopped by the node running it ' +
    '(its process group gets SIGTERM, then SIGKILL after the grace). Answers 409 for a run that already ended.',
  access: 'trigger',
  path: runPath,
  body: noBody,
  responses: {
    200: { description: 'the run, cancelled', schema: z.object({ run: runViewSchema }) },
    ...badInput,
    ...authErrors,
    ...notFound,
    409: { description: 'the run already ended', schema: errorBodySchema },
  },
  async handle({ path, caller, context }) {
    return json(200, { run: await controlOf(context, caller).cancelRun(path.id) });
  },
});

export const runRoutes: readonly ApiRoute[] = [listRuns, getRunStats, getRun, retryRun, cancelRun];
