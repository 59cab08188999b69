import type { FastifyRequest } from 'fastify';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../http/api-error.ts';
import type { Caller } from '../http/caller.ts';
import { hashToken, sameHash } from './api-token.ts';
import type { DashboardSession } from './dashboard-sessions.ts';
import { csrfHeader, sessionIdOf } from './session-cookie.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller of a request: its bearer token when it sends one, else the token of its dashboard
 * session (the same scope and job patterns, and the same name in the audit log). A session call
 * that changes something must carry the session's CSRF token; an expired or ended session is a 401.
 */
export async function callerOfRequest(request: FastifyRequest, context: ApiContext): Promise<Caller> {
  const header = request.headers.authorization;
  const sessionId = header === undefined ? sessionIdOf(request.headers.cookie) : undefined;
  if (sessionId === undefined) return context.auth.authenticate(header, request.ip);
  const session = context.sessions.find(sessionId);
  if (session === undefined) {
    throw new ApiError(
      401,
      'api.session-expired',
      'the dashboard session has expired or was ended: sign in again',
    );
  }
  if (!safeMethods.has(request.method)) checkCsrf(request, session);
  return context.auth.authenticate(`Bearer ${session.token}`, request.ip);
}

/** Refuses (403) a session call that changes something without the session's CSRF token. */
export function checkCsrf(request: FastifyRequest, session: DashboardSession): void {
  const sent = request.headers[csrfHeader];
  if (typeof sent !== 'string' || !sameHash(hashToken(sent), hashToken(session.csrfToken))) {
    throw new ApiError(
      403,
      'api.csrf',
      `${request.method} with the session cookie needs the session's ${csrfHeader} header (GET /api/session gives it)`,
    );
  }
}
