import { z } from 'zod';
import { RunStatus, RunTrigger, isRunStatus } from '../../store/index.ts';
import type { NewRun, RunRecord, RunStatus as Status } from '../../store/index.ts';
import { audit, checkJobFilter, runForCaller } from '../http/access.ts';
import { ApiError } from '../http/api-error.ts';
import {
  authErrors,
  badInput,
  errorBodySchema,
  instantQuery,
  jobName,
  noBody,
  pageCursor,
  pageLimit,
  runPath,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { runDetailSchema, runPageSchema, runView, runViewSchema, transitionView } from '../views/run-view.ts';

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
  description: 'Filters combine. `from`/`to` bound the scheduled time (from inclusive, to exclusive).',
  access: 'read',
  query: z.strictObject({
    job: jobName.optional(),
    status: statusList.optional(),
    trigger: z.enum(Object.keys(RunTrigger) as [RunTrigger, ...RunTrigger[]]).optional(),
    from: instantQuery.optional(),
    to: instantQuery.optional(),
    limit: pageLimit.optional(),
    cursor: pageCursor.optional(),
  }),
  responses: { 200: { description: 'a page of runs', schema: runPageSchema }, ...badInput, ...authErrors },
  async handle({ query, caller, context }) {
    checkJobFilter(caller, query.job);
    const page = await context.store.listRuns({
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.trigger === undefined ? {} : { trigger: query.trigger }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
    });
    return json(200, { runs: page.runs.map(runView), nextCursor: page.nextCursor });
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
    const run = await runForCaller(context, caller, path.id);
    const [attempts, transitions, metrics] = await Promise.all([
      context.store.listAttempts(run.firstRunId ?? run.id),
      context.store.listTransitions(run.id),
      context.store.getRunMetrics(run.id),
    ]);
    return json(200, {
      run: runView(run),
      attempts: attempts.map(runView),
      transitions: transitions.map(transitionView),
      metrics,
    });
  },
});

/** Statuses a run can be retried from through the API. */
export const retryableStatuses: readonly Status[] = ['failed', 'critical', 'timed_out', 'lost', 'cancelled'];

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
    const run = await runForCaller(context, caller, path.id);
    if (!retryableStatuses.includes(run.status)) {
      throw new ApiError(
        409,
        'api.conflict',
        `run ${run.id} is ${run.status}; only runs that ended ${retryableStatuses.join(', ')} can be retried`,
        { path: 'path.id' },
      );
    }
    const job = context.jobs().find((candidate) => candidate.name === run.job);
    if (job === undefined) {
      throw new ApiError(409, 'api.conflict', `job "${run.job}" is no longer in the job file`, {
        path: 'path.id',
      });
    }
    const secret = Object.entries(job.params).find(([name, spec]) => spec.secret && name in run.params);
    if (secret !== undefined) {
      throw new ApiError(
        409,
        'api.conflict',
        `run ${run.id} had the secret parameter "${secret[0]}", whose value is not kept once a run ends; trigger the job again with it`,
        { path: 'path.id' },
      );
    }
    const firstRunId = run.firstRunId ?? run.id;
    const attempts = await context.store.listAttempts(firstRunId);
    const attempt = Math.max(...attempts.map((candidate) => candidate.attempt), run.attempt) + 1;
    const now = context.clock.now();
    const retry: NewRun = {
      job: run.job,
      fanKey: run.fanKey,
      params: run.params,
      payload: run.payload,
      trigger: 'retry',
      requestedBy: caller.name,
      scheduledAt: run.scheduledAt,
      // A queue item's retry waits for the drainer again (held).
      ...(job.queue === undefined ? {} : { status: 'held' as const }),
      runAfter: now,
      priority: run.priority,
      rateKey: run.rateKey,
      queuedAt: now,
      attempt,
      firstRunId,
      dryRun: run.dryRun,
      fireKey: `retry|${firstRunId}|${attempt}`,
      reason: `retried through the API by ${caller.name}`,
    };
    const { inserted } = await context.store.insertRuns([retry]);
    const created = inserted[0];
    if (created === undefined) {
      throw new ApiError(
        409,
        'api.conflict',
        `run ${run.id} was retried at the same moment; see its attempts`,
        {
          path: 'path.id',
        },
      );
    }
    await audit(context, caller, 'run.retry', `run:${run.id}`, { run: created.id, attempt });
    await context.engine.worker.runsQueued();
    context.drainer?.notify(run.job);
    return json(202, { run: runView(created) });
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
    const run = await runForCaller(context, caller, path.id);
    const reason = `cancelled through the API by ${caller.name}`;
    const done = await context.store.cancelRun(run.id, {
      at: context.clock.now(),
      node: context.node,
      reason,
    });
    if (!done) {
      const now: RunRecord = (await context.store.getRun(run.id)) ?? run;
      throw new ApiError(409, 'api.conflict', `run ${run.id} already ended: ${now.status}`, {
        path: 'path.id',
      });
    }
    context.engine.worker.abort([run.id], reason);
    await audit(context, caller, 'run.cancel', `run:${run.id}`, { was: run.status });
    return json(200, { run: runView(await context.store.getRunOrThrow(run.id)) });
  },
});

export const runRoutes: readonly ApiRoute[] = [listRuns, getRun, retryRun, cancelRun];
