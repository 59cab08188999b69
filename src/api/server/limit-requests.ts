import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import type { ApiRoute } from '../http/route.ts';
import type { RateLimit } from './api-server-options.ts';
import type { RequestCallers } from './request-callers.ts';

/**
 * The rate limit on every route: per token once authenticated, per client address otherwise;
 * a refusal is a 429 with Retry-After.
 */
export async function limitRequests(
  app: FastifyInstance,
  limit: RateLimit,
  callers: RequestCallers,
): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => {
      const caller = callers.get(request);
      return caller === undefined ? `ip:${request.ip}` : `token:${caller.tokenId}`;
    },
    errorResponseBuilder: (request, limits) =>
      new ApiError(
        429,
        'api.rate-limited',
        `token "${callers.get(request)?.name ?? 'anonymous'}" made more than ${limits.max} requests in ${limits.after}; try again in ${Math.ceil(limits.ttl / 1000)} s`,
        { headers: { 'retry-after': String(Math.ceil(limits.ttl / 1000)) } },
      ),
  });
}

/**
 * A route's own rate limit, in its config: per source address for pings, none for an unlimited
 * route, else the global one.
 */
export function routeRateLimit(route: ApiRoute, pingLimit: RateLimit): Record<string, unknown> {
  if (route.rateLimit !== 'per-address') return route.unlimited === true ? { rateLimit: false } : {};
  return {
    rateLimit: {
      max: pingLimit.max,
      timeWindow: pingLimit.windowMs,
      keyGenerator: (request: FastifyRequest) => `ping:${request.ip}`,
      errorResponseBuilder: (request: FastifyRequest, limits: { max: number; after: string; ttl: number }) =>
        new ApiError(
          429,
          'api.rate-limited',
          `address ${request.ip} sent more than ${limits.max} pings in ${limits.after}; try again in ${Math.ceil(limits.ttl / 1000)} s`,
          { headers: { 'retry-after': String(Math.ceil(limits.ttl / 1000)) } },
        ),
    },
  };
}
