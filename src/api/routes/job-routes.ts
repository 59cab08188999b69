import { z } from 'zod';
import { controlOf } from '../http/control-of.ts';
import {
  authErrors,
  badInput,
  errorBodySchema,
  jobName,
  jobPath,
  instantQuery,
  noBody,
  pageLimit,
  wholeNumber,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { jobFiresSchema, jobPageSchema, jobViewSchema, runViewSchema } from '../../control/index.ts';
import { instanceRoutes } from './instance-routes.ts';
import { etagOf, jobWriteRoutes } from './job-write-routes.ts';
import { metricRoutes } from './metric-routes.ts';

const notFound = { 404: { description: 'no such job in the job file', schema: errorBodySchema } } as const;
const inCooldown = {
  409: {
    description:
      "run.cooldown: the job's cooldown has not ended (the message says when); send force: true to run anyway",
    schema: errorBodySchema,
  },
} as const;

export const listJobs = defineRoute({
  method: 'GET',
  url: '/api/jobs',
  operationId: 'listJobs',
  tag: 'jobs',
  summary: 'List jobs with their state, next fire and latest run',
  description: 'Jobs of the job file in force, by name; a token limited to some jobs sees only those.',
  access: 'read',
  query: z.strictObject({
    limit: pageLimit.optional(),
    cursor: jobName.optional().describe('nextCursor of the previous page (a job name)'),
  }),
  responses: {
    200: {
      description: 'a page of jobs',
      schema: jobPageSchema,
    },
    ...badInput,
    ...authErrors,
  },
  async handle({ query, caller, context }) {
    return json(
      200,
      await controlOf(context, caller).listJobs({
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      }),
    );
  },
});

export const getJob = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job',
  operationId: 'getJob',
  tag: 'jobs',
  summary: 'One job with its state, next fire and latest run',
  access: 'read',
  path: jobPath,
  responses: {
    200: {
      description: 'the job; ETag: its version when defined through the API',
      schema: z.object({ job: jobViewSchema }),
    },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    const job = await controlOf(context, caller).getJob(path.job);
    return { status: 200, body: { job }, headers: etagOf(job.version) };
  },
});

export const listNextFires = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/fires',
  operationId: 'listNextFires',
  tag: 'jobs',
  summary: "A job's next fires from its calendar, each with the schedule that gives it",
  description:
    "The same computation as the scheduler and `cronplane next`: the union of the job's schedules in its zone, " +
    'strictly after `after` (default now). A paused job still lists its fires and says `paused: true`; a disabled job lists none.',
  access: 'read',
  path: jobPath,
  query: z.strictObject({
    count: wholeNumber(1, 100, 'a fire count').optional().describe('how many fires, 1-100 (default 10)'),
    after: instantQuery.optional().describe('fires strictly after this instant (default now)'),
  }),
  responses: {
    200: { description: "the job's next fires", schema: jobFiresSchema },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context }) {
    return json(
      200,
      await controlOf(context, caller).listNextFires(path.job, {
        ...(query.count === undefined ? {} : { count: query.count }),
        ...(query.after === undefined ? {} : { after: query.after }),
      }),
    );
  },
});

function pauseRoute(paused: boolean): ApiRoute {
  const verb = paused ? 'pause' : 'resume';
  return defineRoute({
    method: 'POST',
    url: `/api/jobs/:job/${verb}`,
    operationId: `${verb}Job`,
    tag: 'jobs',
    summary: paused
      ? 'Pause a job: its schedule stops firing (and its queue stops releasing) until resumed'
      : 'Resume a paused job',
    description:
      'The state is kept in the store and survives restarts and job-file reloads. Manual and API triggers still run.',
    access: 'admin',
    path: jobPath,
    body: noBody,
    responses: {
      200: {
        description: 'the job; ETag: its version when defined through the API',
        schema: z.object({ job: jobViewSchema }),
      },
      ...badInput,
      ...authErrors,
      ...notFound,
    },
    async handle({ path, caller, context }) {
      const control = controlOf(context, caller);
      const job = paused ? await control.pauseJob(path.job) : await control.resumeJob(path.job);
      return json(200, { job });
    },
  });
}

export const pauseJob = pauseRoute(true);
export const resumeJob = pauseRoute(false);

export const triggerJob = defineRoute({
  method: 'POST',
  url: '/api/jobs/:job/trigger',
  operationId: 'triggerJob',
  tag: 'jobs',
  summary: 'Run a job now: answers the queued run ids at once',
  description:
    'One run per fan-out entry (or the one `params.fan_key` names), trigger `api`, requested by the token. ' +
    '`params` sets the parameters the job declares; `dryRun` sets CRONPLANE_DRY_RUN=1 and records the run as a dry run.',
  access: 'trigger',
  path: jobPath,
  body: z.strictObject({
    params: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a parameter name (letters, digits, _)'),
        z.union([z.string().max(10_000), z.number().transform(String), z.boolean().transform(String)]),
      )
      .optional()
      .describe(
        'values for the parameters the job declares, each checked against its rule (400 naming the parameter and the rule); fan_key picks one fan-out entry',
      ),
    dryRun: z.boolean().optional(),
    force: z
      .boolean()
      .optional()
      .describe(
        "run even inside the job's cooldown (the run's creating transition says it was forced); without it a trigger inside the cooldown is refused with 409 run.cooldown",
      ),
  }),
  responses: {
    202: { description: 'the runs queued', schema: z.object({ runs: z.array(runViewSchema) }) },
    ...badInput,
    ...authErrors,
    ...notFound,
    ...inCooldown,
  },
  async handle({ path, body, caller, context }) {
    const runs = await controlOf(context, caller).triggerJob(path.job, {
      ...(body.params === undefined ? {} : { params: body.params }),
      ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
      ...(body.force === undefined ? {} : { force: body.force }),
    });
    return json(202, { runs });
  },
});

export const jobRoutes: readonly ApiRoute[] = [
  listJobs,
  getJob,
  listNextFires,
  pauseJob,
  resumeJob,
  triggerJob,
  ...jobWriteRoutes,
  ...instanceRoutes,
  // A job's metric history: in their own file, registered with the job routes.
  ...metricRoutes,
];
