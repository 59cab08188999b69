import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api-context.ts';
import { callerOfRequest } from '../auth/session-caller.ts';
import { scopeAllows } from '../http/caller.ts';
import { ApiError } from '../http/api-error.ts';
import type { RouteAccess } from '../http/route.ts';
import type { RequestCallers } from './request-callers.ts';

interface RouteConfig {
  readonly access?: RouteAccess;
}

/**
 * Bearer tokens (or the dashboard's session cookie, which stands for one) on every route that is
 * not public: the caller is authenticated (failures limited per client address), its scope checked against the route's access, and remembered in `callers`.
 * Added before the rate limit, so that counts per token.
 */
export function authenticateRequests(
  app: FastifyInstance,
  context: ApiContext,
  callers: RequestCallers,
): void {
  app.addHook('onRequest', async (request) => {
    const access = (request.routeOptions.config as RouteConfig | undefined)?.access;
    if (access === undefined || access === 'public') return;
    const caller = await callerOfRequest(request, context);
    if (!scopeAllows(caller.scope, access)) {
      throw new ApiError(
        403,
        'api.forbidden',
        `token "${caller.name}" has scope ${caller.scope}; ${request.method} ${request.routeOptions.url ?? ''} needs ${access}`,
      );
    }
    callers.set(request, caller);
  });
}
