import { z } from 'zod';
import { Secret, checkBodyPlaceholders, collectSecrets, secretSchema } from '../../config/index.ts';
import type { MaybeSecret } from '../../config/index.ts';
import { describeBodyAssertion, expectBodySchema, resolveBodyAssertions } from '../body-assertion.ts';
import type { HttpSpec, HttpTarget } from '../execution-request.ts';
import type { ExecutorKindDefinition } from '../executor-kind.ts';
import { createHttpExecutor } from '../http-executor.ts';

const httpSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).optional(),
  url: z.string().min(1),
  headers: z.record(z.string(), z.union([z.string(), z.strictObject({ secret: z.string() })])).optional(),
  /** Sent as `Authorization: Bearer <value>`; always a secret. */
  bearer: secretSchema.optional(),
  /** A string is sent as is; an object or array as JSON. */
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  expect_status: z.array(z.int().min(100).max(599)).min(1).optional(),
  /** Checks of the response body (a JSON path's value, a pattern, a text); all must hold. */
  expect_body: expectBodySchema.optional(),
  /** Read reported metrics from this field of a JSON response (dotted path), e.g. "metrics". */
  metrics_field: z.string().optional(),
});

const httpFields = z.strictObject({ http: httpSchema });

type HttpFields = z.output<typeof httpFields>;

/** An HTTP job's time limit when neither it nor `defaults:` gives `timeout`: 30 s. */
export const defaultHttpTimeoutMs = 30_000;

/** `http:`: one HTTP request, its status judged against `expect_status`. */
export const httpExecutorKind: ExecutorKindDefinition<HttpFields, HttpTarget, HttpSpec> = {
  key: 'http',
  noun: 'a request',
  kind: 'http',
  fields: httpFields,
  resolve({ http }, { at, report, checkPlaceholders, isKnown }) {
    checkPlaceholders(http.url, at('http', 'url'));
    if (!/^https?:\/\//.test(http.url)) {
      report(at('http', 'url'), `expected an http:// or https:// URL, got ${JSON.stringify(http.url)}`);
    }
    const headers: Record<string, MaybeSecret> = {};
    for (const [key, value] of Object.entries(http.headers ?? {})) {
      headers[key] = typeof value === 'string' ? value : new Secret(value.secret);
      if (typeof value === 'string') checkPlaceholders(value, at('http', 'headers', key));
    }
    const body =
      http.body === undefined
        ? undefined
        : typeof http.body === 'string'
          ? http.body
          : JSON.stringify(http.body);
    // An object body is JSON with every placeholder inside a string; a string body is checked.
    if (typeof http.body === 'string') {
      checkBodyPlaceholders(http.body, headers, at('http', 'body'), isKnown, report);
    }
    return {
      kind: 'http',
      method: http.method ?? (body === undefined ? 'GET' : 'POST'),
      url: http.url,
      headers,
      bearer: http.bearer,
      body,
      expectStatus: http.expect_status,
      expectBody: resolveBodyAssertions(http.expect_body, at('http', 'expect_body'), report),
      metricsField: http.metrics_field,
    };
  },
  defaultTimeoutMs: defaultHttpTimeoutMs,
  /** The bearer token and the secret headers. */
  secrets: (target) => collectSecrets(target),
  headers: (target) => [
    ...Object.values(target.headers),
    ...(target.bearer === undefined ? [] : [target.bearer]),
  ],
  specFor: (target, job) =>
    target.metricsField === undefined && job.metrics.from === 'http_json' && job.metrics.field !== undefined
      ? { ...target, metricsField: job.metrics.field }
      : target,
  createExecutor: (options) => createHttpExecutor(options.http),
  describe: (target) => `http ${target.method}`,
  view: (target) => ({
    kind: 'http',
    method: target.method,
    url: target.url,
    headers: Object.fromEntries(
      Object.entries(target.headers).map(([name, value]) => [
        name,
        value instanceof Secret ? Secret.mask : value,
      ]),
    ),
    bearer: target.bearer === undefined ? null : Secret.mask,
    expectBody: target.expectBody.map(describeBodyAssertion),
  }),
};
