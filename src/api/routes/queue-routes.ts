import { z } from 'zod';
import { controlOf } from '../http/control-of.ts';
import { authErrors, badInput, errorBodySchema, jobPath } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { queueSummarySchema, queueViewSchema, runViewSchema } from '../../control/index.ts';

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

export const queueState = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/queue',
  operationId: 'queueState',
  tag: 'queues',
  summary: 'A queue job’s items: counts per key, the oldest waiting items and the stuck ones',
  description:
    'An item is stuck when it was released and no node started it within the job’s `start_deadline` ' +
    '(15 minutes without one), or it runs with an expired lease, or it runs longer than the job’s ' +
    '`max_runtime` (else `timeout`).',
  access: 'read',
  path: jobPath,
  responses: {
    200: { description: 'the queue', schema: queueViewSchema },
    ...errors,
  },
  async handle({ path, caller, context }) {
    return json(200, await controlOf(context, caller).getQueue(path.job));
  },
});

export const listQueues = defineRoute({
  method: 'GET',
  url: '/api/queues',
  operationId: 'listQueues',
  tag: 'queues',
  summary: 'Every queue job the token may see: items per key, the oldest waiting item, how many are stuck',
  description: 'Queue jobs (with a `queue:` section) by name; stuck as for `GET /api/jobs/{job}/queue`.',
  access: 'read',
  responses: {
    200: { description: 'the queue jobs', schema: z.object({ queues: z.array(queueSummarySchema) }) },
    ...badInput,
    ...authErrors,
  },
  async handle({ caller, context }) {
    return json(200, { queues: await controlOf(context, caller).listQueues() });
  },
});

export const queueRoutes: readonly ApiRoute[] = [enqueue, queueState, listQueues];
