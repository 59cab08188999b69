import { z } from 'zod';
import type { ResolvedMonitor } from '../../config/index.ts';
import type { MonitorRecord } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from '../auth/caller.ts';
import { audit } from '../http/access.ts';
import { ApiError } from '../http/api-error.ts';
import {
  authErrors,
  badInput,
  errorBodySchema,
  jobName,
  noBody,
  pageCursor,
  pageLimit,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { monitorView, monitorViewSchema, pingView, pingViewSchema } from '../views/monitor-view.ts';

const monitorPath = z.strictObject({ monitor: jobName.describe('a monitor name') });
const notFound = {
  404: { description: 'no such monitor in the job file', schema: errorBodySchema },
} as const;

/** The monitor, if the job file has it, the caller may see it and the store knows it. */
async function monitorForCaller(
  context: ApiContext,
  caller: Caller,
  name: string,
): Promise<{ readonly monitor: ResolvedMonitor; readonly record: MonitorRecord }> {
  if (!caller.mayAccess(name)) {
    throw new ApiError(
      403,
      'api.forbidden',
      `token "${caller.name}" is limited to names matching ${caller.jobs.join(', ')}; "${name}" is not one of them`,
      { path: 'path.monitor' },
    );
  }
  const monitor = context.monitors().find((candidate) => candidate.name === name);
  const record = monitor === undefined ? undefined : await context.store.getMonitor(name);
  if (monitor === undefined || record === undefined || record.removedAt !== null) throw unknownMonitor(name);
  return { monitor, record };
}

function unknownMonitor(name: string): ApiError {
  return new ApiError(404, 'api.unknown-monitor', `no monitor named "${name}" in the job file`, {
    path: 'path.monitor',
  });
}

export const listMonitors = defineRoute({
  method: 'GET',
  url: '/api/monitors',
  operationId: 'listMonitors',
  tag: 'monitors',
  summary: 'List monitors with their status, last ping and ping URL',
  description: 'Monitors of the job file in force, by name; a token limited to some names sees only those.',
  access: 'read',
  responses: {
    200: { description: 'the monitors', schema: z.object({ monitors: z.array(monitorViewSchema) }) },
    ...authErrors,
  },
  async handle({ caller, context }) {
    const records = new Map((await context.store.listMonitors()).map((record) => [record.name, record]));
    const base = context.publicUrl();
    const monitors = context
      .monitors()
      .filter((monitor) => caller.mayAccess(monitor.name))
      .flatMap((monitor) => {
        const record = records.get(monitor.name);
        return record === undefined ? [] : [monitorView(monitor, record, base)];
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return json(200, { monitors });
  },
});

export const getMonitor = defineRoute({
  method: 'GET',
  url: '/api/monitors/:monitor',
  operationId: 'getMonitor',
  tag: 'monitors',
  summary: 'One monitor, with its ping URL',
  access: 'read',
  path: monitorPath,
  responses: {
    200: { description: 'the monitor', schema: z.object({ monitor: monitorViewSchema }) },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    const { monitor, record } = await monitorForCaller(context, caller, path.monitor);
    return json(200, { monitor: monitorView(monitor, record, context.publicUrl()) });
  },
});

export const listMonitorPings = defineRoute({
  method: 'GET',
  url: '/api/monitors/:monitor/pings',
  operationId: 'listMonitorPings',
  tag: 'monitors',
  summary: "A monitor's pings, newest first, paginated by cursor",
  access: 'read',
  path: monitorPath,
  query: z.strictObject({ limit: pageLimit.optional(), cursor: pageCursor.optional() }),
  responses: {
    200: {
      description: 'a page of pings',
      schema: z.object({ pings: z.array(pingViewSchema), nextCursor: z.int().nullable() }),
    },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context }) {
    await monitorForCaller(context, caller, path.monitor);
    const page = await context.store.listPings({
      monitor: path.monitor,
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
    });
    return json(200, { pings: page.pings.map(pingView), nextCursor: page.nextCursor });
  },
});

function pauseRoute(paused: boolean): ApiRoute {
  const verb = paused ? 'pause' : 'resume';
  return defineRoute({
    method: 'POST',
    url: `/api/monitors/:monitor/${verb}`,
    operationId: `${verb}Monitor`,
    tag: 'monitors',
    summary: paused
      ? 'Pause a monitor for maintenance: it is not taken down and raises no alert until resumed'
      : 'Resume a paused monitor: its lateness counts from now',
    description:
      'Kept in the store across restarts and reloads. While paused, pings are still recorded (a success still ' +
      'brings a down monitor up); a ping never resumes it. Pausing keeps the status and any open monitor:down ' +
      'event; resuming gives the monitor a whole period (or scheduled time) and grace from now. ' +
      'Asking for the state it is in changes nothing and answers 200 with changed: false.',
    access: 'admin',
    path: monitorPath,
    body: noBody,
    responses: {
      200: {
        description: 'the monitor after the call',
        schema: z.object({
          monitor: monitorViewSchema,
          changed: z.boolean().describe('false when it already was as asked: nothing was changed'),
        }),
      },
      ...badInput,
      ...authErrors,
      ...notFound,
    },
    async handle({ path, caller, context }) {
      const { monitor } = await monitorForCaller(context, caller, path.monitor);
      const result = await context.monitorPauser.setMonitorPaused(monitor.name, paused, context.clock.now());
      // Removed from the store between the two reads (a reload on another node).
      if (result === undefined) throw unknownMonitor(monitor.name);
      await audit(context, caller, `monitor.${verb}`, monitor.name, { changed: result.changed });
      return json(200, {
        monitor: monitorView(monitor, result.monitor, context.publicUrl()),
        changed: result.changed,
      });
    },
  });
}

export const pauseMonitor = pauseRoute(true);
export const resumeMonitor = pauseRoute(false);

export const monitorRoutes: readonly ApiRoute[] = [
  listMonitors,
  getMonitor,
  listMonitorPings,
  pauseMonitor,
  resumeMonitor,
];
