import { z } from 'zod';
import { checkReadiness } from '../health/readiness.ts';
import { prometheusContentType } from '../metrics/metrics-registry.ts';
import { authErrors } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';

export const healthz = defineRoute({
  method: 'GET',
  url: '/healthz',
  operationId: 'healthz',
  tag: 'health',
  summary: 'The process answers (no token needed)',
  access: 'public',
  unlimited: true,
  responses: {
    200: {
      description: 'alive',
      schema: z.object({
        status: z.literal('ok'),
        node: z.string(),
        version: z.string(),
        uptimeSeconds: z.number(),
      }),
    },
  },
  async handle({ context }) {
    return json(200, {
      status: 'ok',
      node: context.node,
      version: context.version,
      uptimeSeconds: Math.round((Date.now() - context.startedAt) / 100) / 10,
    });
  },
});

export const readyz = defineRoute({
  method: 'GET',
  url: '/readyz',
  operationId: 'readyz',
  tag: 'health',
  summary: 'Ready: the store can be written (with its latency) and the scheduler is alive (no token needed)',
  description:
    '503 with the same details, and `reasons` naming each failed check, when the store cannot be written ' +
    '(down, unreachable, or its write lock held by another process), the scheduler stalled, or the daemon is ' +
    'stopping. The summary (monitors down, open events) informs; it never makes the node not ready.',
  access: 'public',
  unlimited: true,
  responses: {
    200: {
      description: 'ready',
      schema: z.object({
        ready: z.literal(true),
        status: z.string(),
        reasons: z.array(z.string()),
        checks: z.unknown(),
        summary: z.unknown(),
      }),
    },
    503: {
      description: 'not ready',
      schema: z.object({
        ready: z.literal(false),
        status: z.string(),
        reasons: z.array(z.string()),
        checks: z.unknown(),
        summary: z.unknown(),
      }),
    },
  },
  async handle({ context }) {
    const readiness = await checkReadiness(context);
    return json(readiness.ready ? 200 : 503, readiness);
  },
});

export const metrics = defineRoute({
  method: 'GET',
  url: '/metrics',
  operationId: 'metrics',
  tag: 'health',
  summary: 'Prometheus metrics in the text format (no token needed)',
  access: 'public',
  unlimited: true,
  responses: { 200: { description: 'the metrics', contentType: prometheusContentType } },
  async handle({ context }) {
    return { status: 200, body: await context.metrics.render(), contentType: prometheusContentType };
  },
});

export function openApiRoute(document: () => unknown): ApiRoute {
  return defineRoute({
    method: 'GET',
    url: '/api/openapi.json',
    operationId: 'openapi',
    tag: 'health',
    summary: 'This document',
    access: 'read',
    responses: { 200: { description: 'the OpenAPI 3.1 document' }, ...authErrors },
    async handle() {
      return json(200, document());
    },
  });
}

export const healthRoutes: readonly ApiRoute[] = [healthz, readyz, metrics];
