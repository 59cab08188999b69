import { z } from 'zod';
import { jobForCaller } from '../http/access.ts';
import { ApiError } from '../http/api-error.ts';
import { controlOf } from '../http/control-of.ts';
import { authErrors, badInput, errorBodySchema, jobPath } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { runView, runViewSchema } from '../../control/index.ts';

const errors = {
  ...badInput,
  ...authErrors,
  404: { description: 'no such job in the job file', schema: errorBodySchema },
  409: { description: 'the job has no queue: section', schema: errorBodySchema },
} as const;

export const enqueue = defineRoute({
  method: 'POST',
  url: '/api/jobs/:job/queue',
  operationId: 'enqueue',
  tag: 'queues',
  summary: 'Enqueue an item (a JSON payload) for a queue job to drain',
  description:
    'The item becomes a pending run of the job carrying the payload (on stdin for a command, as the body of ' +
    'an HTTP job, as `payload` for a module), with the payload field named by `queue.key` as its rate key. ' +
    'It waits until a fire of the job releases it: oldest first, at most `max_per_run` per fire, at most ' +
    '`per_key` in progress per key. Answers the run at once.',
  access: 'trigger',
  path: jobPath,
  body: z.strictObject({
    payload: z
      .unknown()
      .refine(
        (value) => value !== undefined,
        'required: the item, any JSON value (an object with the queue key)',
      )
      .describe('the item: any JSON value; an object with the queue key field when the queue has a key'),
    priority: z.int().min(-1000).max(1000).optional().describe('higher first among items released together'),
  }),
  responses: {
    202: { description: 'the item, waiting', schema: z.object({ run: runViewSchema }) },
    ...errors,
  },
  async handle({ path, body, caller, context }) {
    const run = await controlOf(context, caller).enqueue(path.job, {
      payload: body.payload,
      ...(body.priority === undefined ? {} : { priority: body.priority }),
    });
    return json(202, { run });
  },
});

const keyState = z.object({
  key: z.string().nullable(),
  waiting: z.int().describe('held, not released yet'),
  released: z.int().describe('released, not claimed yet'),
  running: z.int(),
});

export const queueState = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/queue',
  operationId: 'queueState',
  tag: 'queues',
  summary: 'A queue job’s items: counts per key and the oldest waiting items',
  access: 'read',
  path: jobPath,
  responses: {
    200: {
      description: 'the queue',
      schema: z.object({
        job: z.string(),
        limits: z.object({
          key: z.string().nullable(),
          perKey: z.int().nullable(),
          maxPerRun: z.int().nullable(),
        }),
        waiting: z.int(),
        released: z.int(),
        running: z.int(),
        keys: z.array(keyState),
        next: z.array(runViewSchema).describe('the oldest waiting items, up to 50, in the order they drain'),
      }),
    },
    ...errors,
  },
  async handle({ path, caller, context }) {
    const job = jobForCaller(context, caller, path.job);
    if (job.queue === undefined) {
      throw new ApiError(409, 'queue.not-a-queue', `job "${job.name}" has no queue: section`, {
        path: 'path.job',
      });
    }
    const [counts, next] = await Promise.all([
      context.store.countActiveRunsByKey(job.name),
      context.store.listHeldRuns({ job: job.name, limit: 50 }),
    ]);
    const keys = counts.map((count) => ({
      key: count.rateKey,
      waiting: count.held,
      released: count.pending,
      running: count.running,
    }));
    const total = (field: 'waiting' | 'released' | 'running') =>
      keys.reduce((sum, key) => sum + key[field], 0);
    return json(200, {
      job: job.name,
      limits: {
        key: job.queue.key ?? null,
        perKey: job.queue.perKey ?? null,
        maxPerRun: job.queue.maxPerRun ?? null,
      },
      waiting: total('waiting'),
      released: total('released'),
      running: total('running'),
      keys,
      next: next.map(runView),
    });
  },
});

export const queueRoutes: readonly ApiRoute[] = [enqueue, queueState];
