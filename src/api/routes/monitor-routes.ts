import { z } from 'zod';
import { controlOf } from '../http/control-of.ts';
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
import { monitorChangeSchema, monitorViewSchema, pingPageSchema } from '../../control/index.ts';

const monitorPath = z.strictObject({ monitor: jobName.describe('a monitor name') });
const notFound = {
  404: { description: 'no such monitor in the job file', schema: errorBodySchema },
} as const;

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
    return json(200, { monitors: await controlOf(context, caller).listMonitors() });
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
    return json(200, { monitor: await controlOf(context, caller).getMonitor(path.monitor) });
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
      schema: pingPageSchema,
    },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context }) {
    const page = await controlOf(context, caller).listMonitorPings(path.monitor, {
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return json(200, page);
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
        schema: monitorChangeSchema,
      },
      ...badInput,
      ...authErrors,
      ...notFound,
    },
    async handle({ path, caller, context }) {
      const control = controlOf(context, caller);
      return json(
        200,
        paused ? await control.pauseMonitor(path.monitor) : await control.resumeMonitor(path.monitor),
      );
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
