import { z } from 'zod';
import type { ApiTokenRecord } from '../../store/index.ts';
import { ApiScope } from '../../store/index.ts';
import { issueToken } from '../auth/api-token.ts';
import { jobPatternProblem } from '../auth/job-patterns.ts';
import { audit, checkUnlimited } from '../http/access.ts';
import { ApiError } from '../http/api-error.ts';
import { authErrors, badInput, errorBodySchema, pageCursor, pageLimit } from '../http/schemas.ts';
import { defineRoute, json } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { auditPageSchema, iso } from '../../control/index.ts';
import { controlOf } from '../http/control-of.ts';

/** Token names: what the audit log records. */
export const tokenName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/,
    'expected a token name: letters, digits, ".", "_", "@", ":", "-"',
  )
  .describe('a token name');

const scope = z.enum(Object.keys(ApiScope) as [ApiScope, ...ApiScope[]]);

const tokenViewSchema = z.object({
  id: z.string().describe('the public part of the token'),
  name: z.string(),
  scope,
  jobs: z.array(z.string()).describe('job-name patterns the token is limited to; empty for every job'),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});

/** A token as listed: never its hash, never the token. */
export function tokenView(record: ApiTokenRecord): z.output<typeof tokenViewSchema> {
  return {
    id: record.id,
    name: record.name,
    scope: record.scope,
    jobs: [...record.jobs],
    createdAt: iso(record.createdAt) as string,
    createdBy: record.createdBy,
    lastUsedAt: iso(record.lastUsedAt),
  };
}

export const listTokens = defineRoute({
  method: 'GET',
  url: '/api/tokens',
  operationId: 'listTokens',
  tag: 'tokens',
  summary: 'API tokens that are not revoked (never the tokens themselves)',
  access: 'admin',
  responses: {
    200: { description: 'the tokens', schema: z.object({ tokens: z.array(tokenViewSchema) }) },
    ...badInput,
    ...authErrors,
  },
  async handle({ caller, context }) {
    checkUnlimited(caller);
    return json(200, { tokens: (await context.store.listApiTokens()).map(tokenView) });
  },
});

export const createToken = defineRoute({
  method: 'POST',
  url: '/api/tokens',
  operationId: 'createToken',
  tag: 'tokens',
  summary: 'Create a token: the answer holds it, once; only its hash is stored',
  access: 'admin',
  body: z.strictObject({
    name: tokenName,
    scope,
    jobs: z.array(z.string().max(100)).max(100).optional().describe('job-name patterns like cleanup-*'),
  }),
  responses: {
    201: {
      description: 'the token (shown once) and its record',
      schema: z.object({ token: z.string(), record: tokenViewSchema }),
    },
    ...badInput,
    ...authErrors,
    409: { description: 'a token with that name exists', schema: errorBodySchema },
  },
  async handle({ body, caller, context }) {
    checkUnlimited(caller);
    const jobs = body.jobs ?? [];
    jobs.forEach((pattern, index) => {
      const problem = jobPatternProblem(pattern);
      if (problem !== undefined) {
        throw new ApiError(400, 'api.invalid', `body.jobs.${index}: ${problem}`, {
          path: `body.jobs.${index}`,
        });
      }
    });
    const issued = issueToken();
    const record = await context.store.createApiToken({
      id: issued.id,
      name: body.name,
      hash: issued.hash,
      scope: body.scope,
      jobs,
      createdAt: context.clock.now(),
      createdBy: caller.name,
    });
    await audit(context, caller, 'token.create', record.name, { scope: record.scope, jobs });
    return json(201, { token: issued.token, record: tokenView(record) });
  },
});

export const revokeToken = defineRoute({
  method: 'DELETE',
  url: '/api/tokens/:name',
  operationId: 'revokeToken',
  tag: 'tokens',
  summary: 'Revoke a token by name; it stops working within two seconds on every node',
  access: 'admin',
  path: z.strictObject({ name: tokenName }),
  responses: {
    200: { description: 'revoked', schema: z.object({ revoked: z.string() }) },
    ...badInput,
    ...authErrors,
    404: { description: 'no active token of that name', schema: errorBodySchema },
  },
  async handle({ path, caller, context }) {
    checkUnlimited(caller);
    if (!(await context.store.revokeApiToken(path.name, context.clock.now()))) {
      throw new ApiError(404, 'api.unknown-token', `no active token named "${path.name}"`, {
        path: 'path.name',
      });
    }
    context.auth.forget();
    await audit(context, caller, 'token.revoke', path.name);
    return json(200, { revoked: path.name });
  },
});

export const listAudit = defineRoute({
  method: 'GET',
  url: '/api/audit',
  operationId: 'listAudit',
  tag: 'tokens',
  summary: 'The audit log: every change made through the API, with the token that made it, newest first',
  access: 'admin',
  query: z.strictObject({
    actor: tokenName.optional(),
    action: z
      .string()
      .regex(/^[a-z]+\.[a-z]+$/, 'expected an action like job.trigger')
      .optional(),
    limit: pageLimit.optional(),
    cursor: pageCursor.optional(),
  }),
  responses: {
    200: {
      description: 'a page of entries',
      schema: auditPageSchema,
    },
    ...badInput,
    ...authErrors,
  },
  async handle({ query, caller, context }) {
    const page = await controlOf(context, caller).listAudit({
      ...(query.actor === undefined ? {} : { actor: query.actor }),
      ...(query.action === undefined ? {} : { action: query.action }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return json(200, page);
  },
});

export const adminRoutes: readonly ApiRoute[] = [listTokens, createToken, revokeToken, listAudit];
