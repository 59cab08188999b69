import { Readable } from 'node:stream';
import { z } from 'zod';
import { runForCaller } from '../http/access.ts';
import { controlOf } from '../http/control-of.ts';
import { authErrors, badInput, errorBodySchema, runPath, wholeNumber } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import type { LiveLogFollower } from '../live/live-log-follower.ts';
import { openEventStream } from '../live/open-event-stream.ts';
import { logPageSchema } from '../../control/index.ts';
import type { Control, LogChunkView, LogPage } from '../../control/index.ts';

const notFound = { 404: { description: 'no such run', schema: errorBodySchema } } as const;
const sequence = wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a sequence number');
/** Output a stream may have waiting for a slow client before the stream is ended (it can resume). */
const unsentCap = 16 * 1024 * 1024;

export const readLogs = defineRoute({
  method: 'GET',
  url: '/api/runs/:id/logs',
  operationId: 'readLogs',
  tag: 'logs',
  summary: 'A run’s captured output, in chunks after a sequence number',
  access: 'read',
  path: runPath,
  query: z.strictObject({
    after: sequence
      .optional()
      .describe('only chunks after this sequence number (nextAfter of a previous answer)'),
    limit: wholeNumber(1, 1000, 'a page size').optional(),
  }),
  responses: {
    200: {
      description: 'the chunks',
      schema: logPageSchema,
    },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context }) {
    return json(
      200,
      await controlOf(context, caller).readLogs(path.id, {
        ...(query.after === undefined ? {} : { after: query.after }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      }),
    );
  },
});

export const streamLogs = defineRoute({
  method: 'GET',
  url: '/api/runs/:id/logs/stream',
  operationId: 'streamLogs',
  tag: 'logs',
  summary: 'Follow a run’s output live (Server-Sent Events); the stream ends when the run ends',
  description:
    'Events: `log` (id = the chunk’s sequence number, data = {seq, at, stream, text}), then one `end` ' +
    '(data = {status, exitCode, error}) when the run has ended and all its output was sent. A reconnecting ' +
    'client sends Last-Event-ID (or ?after=) and gets only what it missed. Comments keep the connection alive. ' +
    'Every stream of one run is fed by one reader of the store.',
  access: 'read',
  path: runPath,
  query: z.strictObject({ after: sequence.optional().describe('start after this sequence number') }),
  responses: {
    200: { description: 'an event stream', contentType: 'text/event-stream' },
    ...badInput,
    ...authErrors,
    ...notFound,
    429: {
      description:
        'the rate limit was reached, or the token (10) or the server (200) holds as many live streams as it may (`api.too-many-streams`)',
      schema: errorBodySchema,
    },
  },
  async handle({ path, query, caller, context, request, reply }) {
    const run = await runForCaller(context, caller, path.id);
    const header = request.headers['last-event-id'];
    const resumeAt = typeof header === 'string' && /^[0-9]{1,16}$/.test(header) ? Number(header) : undefined;
    // Past the limits the answer is an ordinary JSON 429, before the stream starts.
    const stream = openEventStream(context.streams, caller, reply, ': cronplane live log\n\n', unsentCap);
    const follower: LiveLogFollower = {
      after: resumeAt ?? query.after ?? 0,
      write: stream.write,
      finish: stream.stop,
    };
    const leave = stream.signal.aborted ? () => undefined : context.liveLogs.follow(run.id, follower);
    try {
      await stream.over;
    } finally {
      leave();
      stream.close();
    }
    return undefined;
  },
});

/** Chunks read per page while a download is written. */
const downloadPage = 1000;

export const downloadLogs = defineRoute({
  method: 'GET',
  url: '/api/runs/:id/logs/download',
  operationId: 'downloadLogs',
  tag: 'logs',
  summary: 'A run’s captured output as one text file (`run-<id>.log`), as far as it is written now',
  description:
    'The chunks in order, as plain text: stdout and stderr as the job wrote them, cronplane’s own lines ' +
    'prefixed `[cronplane] `, and a last such line when the output was cut at the capture limit. Read from ' +
    'the store a page at a time while it is sent, so a long log is never held whole in memory. Errors ' +
    '(auth, unknown run) are ordinary JSON errors.',
  access: 'read',
  path: runPath,
  responses: {
    200: { description: 'the output', contentType: 'text/plain' },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, caller, context }) {
    const control = controlOf(context, caller);
    // The first page is read before answering, so an unknown run is a JSON 404, not a cut stream.
    const first = await control.readLogs(path.id, { limit: downloadPage });
    return {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      headers: {
        'content-disposition': `attachment; filename="run-${first.runId}.log"`,
        'cache-control': 'no-store',
      },
      body: Readable.from(logText(control, first)),
    };
  },
});

/** The log's text page by page (the stream asks for the next page only when the client has read on). */
async function* logText(control: Control, first: LogPage): AsyncGenerator<string> {
  let page = first;
  for (;;) {
    if (page.chunks.length > 0) yield page.chunks.map(chunkText).join('');
    if (page.chunks.length < downloadPage) break;
    page = await control.readLogs(page.runId, { after: page.nextAfter, limit: downloadPage });
  }
  if (page.truncated) yield "[cronplane] output was cut at the job's capture limit\n";
}

function chunkText(chunk: LogChunkView): string {
  if (chunk.stream !== 'system') return chunk.text;
  return `[cronplane] ${chunk.text.endsWith('\n') ? chunk.text : `${chunk.text}\n`}`;
}

export const logRoutes: readonly ApiRoute[] = [readLogs, streamLogs, downloadLogs];
