import { z } from 'zod';
import type { ApiRoute } from './http/route.ts';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape !== undefined && typeof shape === 'object' ? (shape as Record<string, z.ZodType>) : {};
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  return Object.entries(shapeOf(schema)).map(([name, property]) => {
    const described = toSchema(property, 'input');
    const { description, ...rest } = described;
    return {
      name,
      in: where,
      required: where === 'path' || !property.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * The OpenAPI 3.1 document of the API, written from the same zod schemas the routes validate
 * with: parameters, bodies and answers cannot drift from what the server does.
 */
export function buildOpenApi(routes: readonly ApiRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const operation: JsonSchema = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      ...(route.access === 'public'
        ? { security: [] }
        : { security: [{ bearerAuth: [] }], 'x-cronplane-scope': route.access }),
      parameters: [...parameters(route.path, 'path'), ...parameters(route.query, 'query')],
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: !route.body.safeParse({}).success,
              content: { 'application/json': { schema: toSchema(route.body, 'input') } },
            },
          }),
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema === undefined && response.contentType === undefined
              ? {}
              : {
                  content: {
                    [response.contentType ?? 'application/json']:
                      response.schema === undefined ? {} : { schema: toSchema(response.schema, 'output') },
                  },
                }),
          },
        ]),
      ),
    };
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cronplane API',
      version,
      description:
        'Jobs, runs, live logs, queues and tokens of a cronplane daemon. Every /api route takes ' +
        '"Authorization: Bearer <token>"; errors are { "error": { "code", "message", "path"? } }.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'cronplane token create' },
      },
    },
    paths,
  };
}
