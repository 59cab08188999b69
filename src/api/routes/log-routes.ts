import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { coerceError } from '../../errors/index.ts';
import type { LogChunk } from '../../store/index.ts';
import { isTerminalRunStatus } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { runForCaller } from '../http/access.ts';
import { errorAnswer } from '../http/error-answer.ts';
import { authErrors, badInput, errorBodySchema, runPath, wholeNumber } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { iso } from '../views/run-view.ts';

const notFound = { 404: { description: 'no such run', schema: errorBodySchema } } as const;
const sequence = wholeNumber(0, Number.MAX_SAFE_INTEGER, 'a sequence number');

const chunkSchema = z.object({
  seq: z.int(),
  at: z.string(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  text: z.string(),
});

function chunkView(context: ApiContext, chunk: LogChunk): z.output<typeof chunkSchema> {
  return {
    seq: chunk.seq,
    at: iso(chunk.at) as string,
    stream: chunk.stream,
    text: context.redact(chunk.chunk),
  };
}

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
      schema: z.object({
        runId: z.int(),
        status: z.string(),
        chunks: z.array(chunkSchema),
        nextAfter: z.int().describe('pass as ?after= to read on'),
        done: z.boolean().describe('the run ended and every chunk was read'),
        truncated: z.boolean().describe("output was cut at the job's capture limit"),
      }),
    },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context }) {
    const run = await runForCaller(context, caller, path.id);
    const limit = query.limit ?? 1000;
    const chunks = await context.store.readLogs(run.id, { afterSeq: query.after ?? 0, limit });
    return json(200, {
      runId: run.id,
      status: run.status,
      chunks: chunks.map((chunk) => chunkView(context, chunk)),
      nextAfter: chunks.at(-1)?.seq ?? query.after ?? 0,
      done: isTerminalRunStatus(run.status) && chunks.length < limit,
      truncated: run.logTruncated,
    });
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
    'client sends Last-Event-ID (or ?after=) and gets only what it missed. Comments keep the connection alive.',
  access: 'read',
  path: runPath,
  query: z.strictObject({ after: sequence.optional().describe('start after this sequence number') }),
  responses: {
    200: { description: 'an event stream', contentType: 'text/event-stream' },
    ...badInput,
    ...authErrors,
    ...notFound,
  },
  async handle({ path, query, caller, context, request, reply }) {
    const run = await runForCaller(context, caller, path.id);
    const header = request.headers['last-event-id'];
    const resumeAt = typeof header === 'string' && /^[0-9]{1,16}$/.test(header) ? Number(header) : undefined;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const controller = context.streams.open();
    const stop = () => controller.abort(new Error('the client went away'));
    raw.on('close', stop);
    const send = (event: string, data: unknown, id?: number) => {
      raw.write(
        `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${context.redact(JSON.stringify(data))}\n\n`,
      );
    };
    let after = resumeAt ?? query.after ?? 0;
    let lastWrite = Date.now();
    const flush = async (): Promise<number> => {
      let total = 0;
      for (;;) {
        const chunks = await context.store.readLogs(run.id, { afterSeq: after, limit: 1000 });
        for (const chunk of chunks) {
          send('log', chunkView(context, chunk), chunk.seq);
          after = chunk.seq;
        }
        total += chunks.length;
        if (chunks.length < 1000) return total;
      }
    };
    try {
      raw.write(': cronplane live log\n\n');
      while (!controller.signal.aborted) {
        if ((await flush()) > 0) lastWrite = Date.now();
        const current = await context.store.getRun(run.id);
        if (current === undefined || isTerminalRunStatus(current.status)) {
          await flush();
          send('end', {
            status: current?.status ?? 'unknown',
            exitCode: current?.exitCode ?? null,
            error: current?.error ?? null,
          });
          break;
        }
        if (Date.now() - lastWrite > 15_000) {
          raw.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await sleep(context.ssePollMs, undefined, { signal: controller.signal }).catch(() => undefined);
      }
    } catch (thrown) {
      const answer = errorAnswer(thrown);
      if (answer.internal)
        context.logger.error({ err: coerceError(thrown), run: run.id }, 'live log stream failed');
      if (!raw.destroyed) send('error', answer.body);
    } finally {
      raw.off('close', stop);
      context.streams.done(controller);
      if (!raw.destroyed) raw.end();
    }
    return undefined;
  },
});

export const logRoutes: readonly ApiRoute[] = [readLogs, streamLogs];
