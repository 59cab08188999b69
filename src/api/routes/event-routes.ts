import { z } from 'zod';
import type { EventRecord, EventSeverity as Severity } from '../../store/index.ts';
import { EventSeverity, isEventSeverity } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from '../auth/caller.ts';
import { audit, checkJobFilter } from '../http/access.ts';
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
  wholeNumber,
} from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { eventView, eventViewSchema } from '../views/event-view.ts';

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

/** The event, if it exists and the caller may see it: events of no job need a token for every job. */
async function eventForCaller(context: ApiContext, caller: Caller, id: number): Promise<EventRecord> {
  const event = await context.store.getEvent(id);
  if (event === undefined) {
    throw new ApiError(404, 'api.unknown-event', `no event with id ${id}`, { path: 'path.id' });
  }
  const allowed = event.job === null ? caller.jobs.length === 0 : caller.mayAccess(event.job);
  if (!allowed) {
    throw new ApiError(
      403,
      'api.forbidden',
      `token "${caller.name}" is limited to jobs matching ${caller.jobs.join(', ')}; event ${id} is ${
        event.job === null ? 'of no job' : `of "${event.job}"`
      }`,
      { path: 'path.id' },
    );
  }
  return event;
}

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
    open: z.enum(['true', 'false']).optional().describe('true: only events not resolved'),
    since: instantQuery.optional(),
    until: instantQuery.optional(),
    limit: pageLimit.optional(),
    cursor: pageCursor.optional(),
  }),
  responses: {
    200: {
      description: 'a page of events',
      schema: z.object({ events: z.array(eventViewSchema), nextCursor: z.int().nullable() }),
    },
    ...badInput,
    ...authErrors,
  },
  async handle({ query, caller, context }) {
    checkJobFilter(caller, query.job);
    if (query.since !== undefined && query.until !== undefined && query.until <= query.since) {
      throw new ApiError(400, 'api.invalid', 'query.until: expected an instant after since', {
        path: 'query.until',
      });
    }
    const page = await context.store.listEvents({
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
      ...(query.severity === undefined ? {} : { severities: query.severity }),
      ...(query.open === 'true' ? { open: true } : {}),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
    });
    return json(200, { events: page.events.map(eventView), nextCursor: page.nextCursor });
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
    return json(200, { event: eventView(await eventForCaller(context, caller, path.id)) });
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
    const event = await eventForCaller(context, caller, path.id);
    const alreadyResolved = (at: number | null): ApiError =>
      new ApiError(
        409,
        'api.conflict',
        `event ${event.id} was already resolved${at === null ? '' : ` at ${new Date(at).toISOString()}`}`,
        { path: 'path.id' },
      );
    if (event.resolvedAt !== null) throw alreadyResolved(event.resolvedAt);
    // Compare-and-set on the event's id: only this event is closed, and only while it is open.
    const closed =
      context.resolveIncident === undefined
        ? await context.store.resolveEventById(event.id, context.clock.now())
        : await context.resolveIncident(event, caller.name);
    if (!closed) {
      throw alreadyResolved((await context.store.getEvent(event.id))?.resolvedAt ?? null);
    }
    const resolved = (await context.store.getEvent(event.id)) ?? event;
    await audit(context, caller, 'event.resolve', `event:${event.id}`, {
      kind: event.kind,
      job: event.job,
      dedupKey: event.dedupKey,
    });
    return json(200, { event: eventView(resolved) });
  },
});

export const eventRoutes: readonly ApiRoute[] = [listEvents, getEvent, resolveEvent];
