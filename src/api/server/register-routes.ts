import type { IncomingMessage } from 'node:http';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from '../http/caller.ts';
import { ApiError } from '../http/api-error.ts';
import { parseInput } from '../http/parse-input.ts';
import { readPingBody } from '../http/ping-body.ts';
import type { ApiRoute } from '../http/route.ts';
import type { RateLimit } from './api-server-options.ts';
import { routeRateLimit } from './limit-requests.ts';
import type { RequestCallers } from './request-callers.ts';

export interface RouteDeps {
  readonly context: ApiContext;
  readonly callers: RequestCallers;
  readonly pingLimit: RateLimit;
}

const emptyQuery = z.strictObject({});

/**
 * Mounts each route: its inputs validated by its schemas, its caller required unless public, its
 * answer sent. Routes that take any body (pings) get a scope of their own with one catch-all parser.
 */
export async function registerRoutes(
  app: FastifyInstance,
  routes: readonly ApiRoute[],
  deps: RouteDeps,
): Promise<void> {
  for (const route of routes) if (route.rawBody !== true) addRoute(app, route, deps);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', async (_request: FastifyRequest, payload: IncomingMessage) =>
      readPingBody(payload),
    );
    for (const route of routes) if (route.rawBody === true) addRoute(scope, route, deps);
  });
}

function addRoute(instance: FastifyInstance, route: ApiRoute, deps: RouteDeps): void {
  const { context, callers } = deps;
  instance.route({
    method: route.method,
    url: route.url,
    config: { access: route.access, ...routeRateLimit(route, deps.pingLimit) } as FastifyContextConfig,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const caller = callers.get(request);
      if (caller === undefined && route.access !== 'public') {
        throw new ApiError(401, 'api.unauthorized', 'this endpoint needs a token');
      }
      const path = route.path === undefined ? undefined : parseInput(route.path, request.params, 'path');
      const query = parseInput(route.query ?? emptyQuery, request.query ?? {}, 'query');
      if (route.body === undefined && route.rawBody !== true && request.body !== undefined) {
        throw new ApiError(400, 'api.unknown-field', `body: ${request.method} ${route.url} takes no body`, {
          path: 'body',
        });
      }
      const body = route.body === undefined ? undefined : parseInput(route.body, request.body ?? {}, 'body');
      const answer = await route.handle({
        path,
        query,
        body,
        caller: caller as Caller,
        context,
        request,
        reply,
      });
      if (answer === undefined) return reply;
      void reply.code(answer.status);
      if (answer.headers !== undefined) void reply.headers(answer.headers);
      if (answer.contentType !== undefined) void reply.type(answer.contentType);
      return reply.send(answer.body);
    },
  });
}
