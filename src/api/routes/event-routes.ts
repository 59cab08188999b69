import { z } from 'zod';
import type { EventSeverity as Severity } from '../../store/index.ts';
import { EventSeverity, isEventSeverity } from '../../store/index.ts';
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
  wholeNumber,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { eventPageSchema, eventViewSchema } from '../../control/index.ts';

const severityNames = Object.keys(EventSeverity).join(', ');

const severityList = z
  .string()
  .transform((text, context) => {
    const severities = text.split(',').filter((severity) => severity !== '');
    const wrong = severities.find((severity) => !isEventSeverity(severity));
    if (wrong !== undefined || severities.length === 0) {
      context.addIssue({
        code: 'custom',
        message: `expected severities separated by commas (${severityNames}); found "${(wrong ?? text).slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    return [...new Set(severities)] as Severity[];
  })
  .describe(`one severity or a comma-separated list: ${severityNames}`);

const eventPath = z.strictObject({
  id: wholeNumber(1, Number.MAX_SAFE_INTEGER, 'an event id').describe('an event id'),
});

const notFound = { 404: { description: 'no such event', schema: errorBodySchema } } as const;

export const listEvents = defineRoute({
  method: 'GET',
  url: '/api/events',
  operationId: 'listEvents',
  tag: 'events',
  summary: 'Events (failed, stuck, lost and missed runs, guards, monitors), newest first',
  description:
    'Filters combine. `since` keeps events still seen at or after it (last seen >= since), `until` events ' +
    'first seen before it: together, the events that were open at some point of the window.',
  access: 'read',
  query: z.strictObject({
    job: jobName.optional(),
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9:._-]{0,99}$/, 'expected an event kind like run:stuck')
      .optional(),
    severity: severityList.optional(),
    open: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: only events not resolved; false: only resolved ones; absent: both'),
    since: instantQuery.optional(),
    until: instantQuery.optional(),
    limit: pageLimit.optional(),
    cursor: pageCursor.optional(),
  }),
  responses: {
    200: {
      description: 'a page of events',
      schema: eventPageSchema,
    },
    ...badInput,
    ...authErrors,
  },
  async handle({ query, caller, context }) {
    const page = await controlOf(context, caller).listEvents({
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
      ...(query.severity === undefined ? {} : { severity: query.severity }),
      ...(query.open === undefined ? {} : { open: query.open === 'true' }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return json(200, page);
  },
});

export const getEvent = defineRoute({
  method: 'GET',
  url: '/api/events/:id',
  operationId: 'getEvent',
  tag: 'events',
  summary: 'One event',
  access: 'read',
  path: eventPath,
  responses: {
    200: { description: 'the event', schema: z.object({ event: eventViewSchema }) },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    return json(200, { event: await controlOf(context, caller).getEvent(path.id) });
  },
});

export const resolveEvent = defineRoute({
  method: 'POST',
  url: '/api/events/:id/resolve',
  operationId: 'resolveEvent',
  tag: 'events',
  summary: 'Resolve an open event by hand',
  description:
    'Closes the incident now (the next occurrence opens a new event and alerts again). The channels that ' +
    'were told of it hear that it was resolved (PagerDuty incidents are resolved). Answers 409 for an ' +
    'event already resolved. Recorded in the audit log as event.resolve.',
  access: 'trigger',
  path: eventPath,
  body: noBody,
  responses: {
    200: { description: 'the event, resolved', schema: z.object({ event: eventViewSchema }) },
    ...badInput,
    ...authErrors,
    ...notFound,
    409: { description: 'the event is already resolved', schema: errorBodySchema },
  },
  async handle({ path, caller, context }) {
    return json(200, { event: await controlOf(context, caller).resolveEvent(path.id) });
  },
});

export const eventRoutes: readonly ApiRoute[] = [listEvents, getEvent, resolveEvent];
