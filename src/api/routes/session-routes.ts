import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../api-context.ts';
import type { DashboardSession } from '../auth/dashboard-sessions.ts';
import { checkCsrf } from '../auth/session-caller.ts';
import { clearedSessionCookie, sessionCookie, sessionIdOf } from '../auth/session-cookie.ts';
import type { Caller } from '../http/caller.ts';
import { ApiError } from '../http/api-error.ts';
import { authErrors, badInput, errorBodySchema, noBody } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';

const sessionViewSchema = z
  .object({
    name: z.string().describe("the token's name"),
    scope: z.enum(['read', 'trigger', 'admin']),
    jobs: z.array(z.string()).describe('the job patterns the token is limited to; empty for every job'),
    csrfToken: z.string().describe('send it as x-csrf-token on every POST or DELETE made with the cookie'),
    expiresAt: z.string(),
  })
  .describe("a dashboard session: the token's name, scope and patterns");

function sessionView(caller: Caller, session: DashboardSession): z.output<typeof sessionViewSchema> {
  return {
    name: caller.name,
    scope: caller.scope,
    jobs: [...caller.jobs],
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

/** The request's live session with its id, if its cookie names one. */
function sessionOf(
  request: FastifyRequest,
  context: ApiContext,
): { readonly id: string; readonly session: DashboardSession } | undefined {
  const id = sessionIdOf(request.headers.cookie);
  const session = id === undefined ? undefined : context.sessions.find(id);
  return id === undefined || session === undefined ? undefined : { id, session };
}

export const openSession = defineRoute({
  method: 'POST',
  url: '/api/session',
  operationId: 'openSession',
  tag: 'session',
  summary: 'Sign in to the dashboard: an API token exchanged for a session cookie',
  description:
    'Sets `cronplane_session` (HttpOnly, SameSite=Strict, Path=/; Secure over HTTPS) for 12 hours. The session ' +
    'acts with the token: the same scope, job patterns and name in the audit log. Failed sign-ins count against ' +
    'the address like failed bearer tokens. Instead of `token`, `code` takes a one-time sign-in code.',
  access: 'public',
  body: z.strictObject({
    token: z.string().min(1).max(1000).optional().describe('an API token (or CRONPLANE_TOKEN)'),
    code: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'instead of a token: a one-time sign-in code (POST /api/session/code, `cronplane dashboard`)',
      ),
  }),
  responses: {
    201: { description: 'signed in', schema: z.object({ session: sessionViewSchema }) },
    ...badInput,
    401: { description: 'not a valid token, or an unknown, used or expired code', schema: errorBodySchema },
    429: { description: 'this address failed authentication too often', schema: errorBodySchema },
  },
  async handle({ body, context, request }) {
    const token = tokenOf(body, context);
    const caller = await context.auth.authenticate(`Bearer ${token}`, request.ip);
    const session = context.sessions.open(token);
    return {
      status: 201,
      body: { session: sessionView(caller, session) },
      headers: {
        'set-cookie': sessionCookie(
          session.id,
          context.sessions.secondsLeft(session),
          request.protocol === 'https',
        ),
        'cache-control': 'no-store',
      },
    };
  },
});

/** The token to sign in with: the one given, or the one a sign-in code stands for (used up). */
function tokenOf(
  body: { token?: string | undefined; code?: string | undefined },
  context: ApiContext,
): string {
  if ((body.token === undefined) === (body.code === undefined)) {
    throw new ApiError(400, 'api.invalid', 'body: give either token or code', { path: 'body' });
  }
  if (body.token !== undefined) return body.token.trim();
  const token = context.sessions.redeemCode(body.code ?? '');
  if (token === undefined) {
    throw new ApiError(
      401,
      'api.unauthorized',
      'the sign-in code is unknown, used or expired: ask for a new one',
    );
  }
  return token;
}

export const issueSignInCode = defineRoute({
  method: 'POST',
  url: '/api/session/code',
  operationId: 'issueSignInCode',
  tag: 'session',
  summary: 'A one-time sign-in code for the dashboard, standing for the calling token for two minutes',
  description:
    '`cronplane dashboard` prints `<server>/signin#code=<code>`: the code is in the fragment, which browsers ' +
    'never send, so no token or code reaches a log; the sign-in page exchanges it (`POST /api/session` with ' +
    '`code`) once.',
  access: 'read',
  body: noBody,
  responses: {
    201: {
      description: 'the code',
      schema: z.object({ code: z.string(), expiresAt: z.string() }),
    },
    ...badInput,
    ...authErrors,
  },
  async handle({ context, request }) {
    const token = presentedToken(request, context);
    if (token === undefined) throw new ApiError(401, 'api.unauthorized', 'this endpoint needs a token');
    const issued = context.sessions.issueCode(token);
    return {
      status: 201,
      body: { code: issued.code, expiresAt: new Date(issued.expiresAt).toISOString() },
      headers: { 'cache-control': 'no-store' },
    };
  },
});

/** The token a request acts with: its bearer token, else its session's. */
function presentedToken(request: FastifyRequest, context: ApiContext): string | undefined {
  const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1];
  return bearer ?? sessionOf(request, context)?.session.token;
}

export const getSession = defineRoute({
  method: 'GET',
  url: '/api/session',
  operationId: 'getSession',
  tag: 'session',
  summary: "The dashboard's session, with its CSRF token; null when signed out or expired",
  access: 'public',
  responses: {
    200: { description: 'the session, or null', schema: z.object({ session: sessionViewSchema.nullable() }) },
  },
  async handle({ context, request }) {
    const found = sessionOf(request, context);
    if (found === undefined) return json(200, { session: null });
    try {
      const caller = await context.auth.authenticate(`Bearer ${found.session.token}`, request.ip);
      return {
        status: 200,
        body: { session: sessionView(caller, found.session) },
        headers: { 'cache-control': 'no-store' },
      };
    } catch {
      // The token was revoked since sign-in: the session ends with it.
      context.sessions.close(found.id);
      return json(200, { session: null });
    }
  },
});

export const closeSession = defineRoute({
  method: 'DELETE',
  url: '/api/session',
  operationId: 'closeSession',
  tag: 'session',
  summary: 'Sign out: ends the session and clears its cookie (needs the x-csrf-token header)',
  access: 'public',
  responses: {
    200: { description: 'signed out', schema: z.object({ signedOut: z.literal(true) }) },
    403: { description: 'the x-csrf-token header is missing or wrong', schema: errorBodySchema },
  },
  async handle({ context, request }) {
    const found = sessionOf(request, context);
    if (found !== undefined) {
      checkCsrf(request, found.session);
      context.sessions.close(found.id);
    }
    return { status: 200, body: { signedOut: true }, headers: { 'set-cookie': clearedSessionCookie() } };
  },
});

export const sessionRoutes: readonly ApiRoute[] = [openSession, getSession, closeSession, issueSignInCode];
