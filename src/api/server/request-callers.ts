import type { FastifyRequest } from 'fastify';
import type { Caller } from '../http/caller.ts';

/** Who made each request, once authenticated: read by the rate limits and the route handlers. */
export type RequestCallers = WeakMap<FastifyRequest, Caller>;
