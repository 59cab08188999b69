import { z } from 'zod';
import { isPingIdShape, parsePingAction } from '../../monitor/index.ts';
import { ApiError } from '../http/api-error.ts';
import type { PingBody } from '../http/ping-body.ts';
import { pingBodyCap } from '../http/ping-body.ts';
import { badInput, errorBodySchema } from '../http/schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { Answer, ApiRoute, RouteInput } from '../http/route.ts';

const pingQuery = z.strictObject({
  rid: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'expected a run id of 1-64 letters, digits, ".", "_", ":" or "-"')
    .optional()
    .describe('pairs a start with its end (a UUID, say): the end ping gets the duration between them'),
});

const okAnswer = { description: 'the ping was recorded: the body is `OK`', contentType: 'text/plain' };
const pingErrors = {
  ...badInput,
  404: { description: 'no monitor has this ping id (nothing is stored)', schema: errorBodySchema },
  413: { description: 'the body is over 10 MiB', schema: errorBodySchema },
  429: { description: 'this address sent too many pings', schema: errorBodySchema },
} as const;

const description =
  'No token: the unguessable id is the key. GET, HEAD and POST all work; a POST body (any content type) is kept ' +
  `as the ping's log, the first ${pingBodyCap / 1024} KiB of it (the ping records that it was truncated). Rate-limited per address.`;

async function handlePing(
  input: RouteInput<{ id: string; action?: string }, z.output<typeof pingQuery>, unknown>,
): Promise<Answer> {
  const { path, query, context, request } = input;
  const action = parsePingAction(path.action);
  if (!action.ok)
    throw new ApiError(400, 'api.invalid', `path.action: ${action.message}`, { path: 'path.action' });
  if (!isPingIdShape(path.id)) throw unknownPingId();
  const body = request.body as PingBody | undefined;
  // The body is the log of an external job: the job file's secrets are masked before it is
  // stored, so the monitor's alerts, the API and the CLI only ever see it masked.
  const text = body === undefined || body.text === '' ? null : context.redact(body.text);
  const agent = request.headers['user-agent'];
  const result = await context.pings.recordPing({
    pingId: path.id,
    kind: action.action.kind,
    at: context.clock.now(),
    exitCode: action.action.exitCode,
    runKey: query.rid ?? null,
    body: text,
    bodyTruncated: body?.truncated ?? false,
    source: context.redact(`${request.ip}${agent === undefined ? '' : ` ${agent.slice(0, 200)}`}`),
  });
  if (result === undefined) throw unknownPingId();
  return { status: 200, body: 'OK', contentType: 'text/plain; charset=utf-8' };
}

function unknownPingId(): ApiError {
  return new ApiError(404, 'api.unknown-ping-id', 'no monitor has this ping id; nothing was stored', {
    path: 'path.id',
  });
}

function pingRoute(method: 'GET' | 'POST', withAction: boolean): ApiRoute {
  const what = withAction ? 'start, fail or an exit code' : 'a success';
  return defineRoute({
    method,
    url: withAction ? '/ping/:id/:action' : '/ping/:id',
    operationId: `ping${withAction ? 'Action' : ''}${method === 'GET' ? 'Get' : 'Post'}`,
    tag: 'pings',
    summary: `A monitored job reports ${what}`,
    description,
    access: 'public',
    path: withAction
      ? z.strictObject({
          id: z.string().describe("the monitor's ping id"),
          action: z.string().describe('start, fail, or an exit code 0-255 (0 is a success)'),
        })
      : z.strictObject({ id: z.string().describe("the monitor's ping id") }),
    query: pingQuery,
    rawBody: true,
    rateLimit: 'per-address',
    responses: { 200: okAnswer, ...pingErrors },
    handle: handlePing as ApiRoute['handle'],
  });
}

/** The ping endpoints external jobs call: `/ping/<id>`, `/start`, `/fail`, `/<exit-code>`. */
export const pingRoutes: readonly ApiRoute[] = [
  pingRoute('GET', false),
  pingRoute('POST', false),
  pingRoute('GET', true),
  pingRoute('POST', true),
];
