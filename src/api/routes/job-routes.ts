import { z } from 'zod';
import type { ResolvedJob } from '../../config/index.ts';
import { splitSecretParams } from '../../engine/index.ts';
import type { ApiContext } from '../api-context.ts';
import { audit, jobForCaller } from '../http/access.ts';
import { inBody } from '../http/in-body.ts';
import {
  authErrors,
  badInput,
  errorBodySchema,
  jobName,
  jobPath,
  noBody,
  pageLimit,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { jobView, jobViewSchema } from '../views/job-view.ts';
import type { JobView } from '../views/job-view.ts';
import { runView, runViewSchema } from '../views/run-view.ts';

const notFound = { 404: { description: 'no such job in the job file', schema: errorBodySchema } } as const;

/** The API's view of some jobs: their definition, pause state, next fire and latest run. */
async function viewJobs(context: ApiContext, jobs: readonly ResolvedJob[]): Promise<JobView[]> {
  const names = jobs.map((job) => job.name);
  const [records, latest] = await Promise.all([
    Promise.all(names.map((name) => context.store.getJob(name))),
    context.store.latestRuns(names),
  ]);
  const lastRuns = new Map(latest.map((run) => [run.job, run]));
  return jobs.map((job, index) =>
    jobView(job, {
      paused: records[index]?.paused ?? false,
      nextFireAt: context.engine.scheduler.nextFireOf(job.name),
      lastRun: lastRuns.get(job.name),
    }),
  );
}

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
      schema: z.object({ jobs: z.array(jobViewSchema), nextCursor: z.string().nullable() }),
    },
    ...badInput,
    ...authErrors,
  },
  async handle({ query, caller, context }) {
    const limit = query.limit ?? 100;
    const visible = context
      .jobs()
      .filter((job) => caller.mayAccess(job.name) && (query.cursor === undefined || job.name > query.cursor))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = visible.slice(0, limit);
    return json(200, {
      jobs: await viewJobs(context, page),
      nextCursor: visible.length > limit ? (page.at(-1)?.name ?? null) : null,
    });
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
    200: { description: 'the job', schema: z.object({ job: jobViewSchema }) },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    const job = jobForCaller(context, caller, path.job);
    const [view] = await viewJobs(context, [job]);
    return json(200, { job: view });
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
      200: { description: 'the job', schema: z.object({ job: jobViewSchema }) },
      ...badInput,
      ...authErrors,
      ...notFound,
    },
    async handle({ path, caller, context }) {
      const job = jobForCaller(context, caller, path.job);
      await context.store.setJobPaused(job.name, paused, context.clock.now());
      context.engine.scheduler.setPaused(job.name, paused);
      context.drainer?.setPaused(job.name, paused);
      await audit(context, caller, `job.${verb}`, job.name);
      const [view] = await viewJobs(context, [job]);
      return json(200, { job: view });
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
  }),
  responses: {
    202: { description: 'the runs queued', schema: z.object({ runs: z.array(runViewSchema) }) },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, body, caller, context }) {
    const job = jobForCaller(context, caller, path.job);
    const runs = await inBody(['engine.param', 'param.invalid', 'engine.fan-key'], () =>
      context.engine.trigger({
        job: job.name,
        trigger: 'api',
        requestedBy: caller.name,
        ...(body.params === undefined ? {} : { params: body.params }),
        ...(body.dryRun === undefined ? {} : { dryRun: body.dryRun }),
      }),
    );
    await audit(context, caller, 'job.trigger', job.name, {
      runs: runs.map((run) => run.id),
      params: splitSecretParams(job, body.params ?? {}).params,
      dryRun: body.dryRun ?? false,
    });
    return json(202, { runs: runs.map(runView) });
  },
});

export const jobRoutes: readonly ApiRoute[] = [listJobs, getJob, pauseJob, resumeJob, triggerJob];
