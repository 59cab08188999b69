import { z } from 'zod';
import { controlOf } from '../http/control-of.ts';
import { openEventStream } from '../live/open-event-stream.ts';
import { authErrors, badInput, errorBodySchema, jobName, wholeNumber } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { recentRunsSchema } from '../../control/index.ts';

/** Output a stream may have waiting for a slow client before the stream is ended (it reconnects). */
const unsentCap = 4 * 1024 * 1024;
/** A comment is sent this often, to keep idle connections (and proxies) open. */
const heartbeatMs = 15_000;
/** How long a browser waits before it reconnects (the `retry:` field). */
const retryMs = 3000;

const jobList = z
  .string()
  .transform((text, context) => {
    const names = text.split(',').filter((name) => name !== '');
    const wrong = names.find((name) => !jobName.safeParse(name).success);
    if (wrong !== undefined || names.length === 0) {
      context.addIssue({
        code: 'custom',
        message: `expected job names separated by commas; found "${(wrong ?? text).slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    return names;
  })
  .describe('comma-separated job names');

export const listRecentRuns = defineRoute({
  method: 'GET',
  url: '/api/runs/recent',
  operationId: 'listRecentRuns',
  tag: 'runs',
  summary: 'The last runs of each job and fan-out key, in a compact form (the strips of the overview)',
  description:
    'One entry per job (by name) and, for a job that fans out, one per key; each with its last `per` runs ' +
    '(1-100, default 50), newest first, as {id, status, scheduledAt, durationMs}. Only the jobs the token may ' +
    'touch; `jobs` names some of them.',
  access: 'read',
  query: z.strictObject({
    jobs: jobList.optional(),
    per: wholeNumber(1, 100, 'a number of runs per key').optional(),
  }),
  responses: {
    200: { description: 'the runs', schema: recentRunsSchema },
    ...badInput,
    ...authErrors,
    404: { description: 'a job named is not in the job file', schema: errorBodySchema },
  },
  async handle({ query, caller, context }) {
    return json(
      200,
      await controlOf(context, caller).listRecentRuns({
        ...(query.jobs === undefined ? {} : { jobs: query.jobs }),
        ...(query.per === undefined ? {} : { perKey: query.per }),
      }),
    );
  },
});

export const streamRuns = defineRoute({
  method: 'GET',
  url: '/api/runs/stream',
  operationId: 'streamRuns',
  tag: 'runs',
  summary: 'Follow runs as they are created and change status (Server-Sent Events)',
  description:
    'One `run` event (data = {id, job, fanKey, status, scheduledAt, finishedAt, ' +
    'durationMs}) each time a run of a job the token may touch is created or changes status, on any node ' +
    'sharing the store, from the moment the stream opens; a `: heartbeat` comment every 15 s and `retry: 3000`. ' +
    'Changes made while a client was away are not replayed: reload what it shows when it reconnects. Every ' +
    'stream of a node is fed by one reader of the store.',
  access: 'read',
  responses: {
    200: { description: 'an event stream', contentType: 'text/event-stream' },
    ...authErrors,
    429: {
      description:
        'the rate limit was reached, or the token (10) or the server (200) holds as many live streams as it may (`api.too-many-streams`)',
      schema: errorBodySchema,
    },
  },
  async handle({ caller, context, reply }) {
    // Past the limits the answer is an ordinary JSON 429, before the stream starts.
    const stream = openEventStream(
      context.streams,
      caller,
      reply,
      `retry: ${retryMs}\n: cronplane run changes\n\n`,
      unsentCap,
    );
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs);
    try {
      for await (const change of controlOf(context, caller).followRuns({ signal: stream.signal })) {
        stream.write(`event: run\ndata: ${context.redact(JSON.stringify(change))}\n\n`);
        if (stream.signal.aborted) break;
      }
    } finally {
      clearInterval(heartbeat);
      stream.close();
    }
    return undefined;
  },
});

export const overviewRoutes: readonly ApiRoute[] = [listRecentRuns, streamRuns];
