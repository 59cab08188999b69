/**
 * Bad input to every endpoint: malformed JSON, wrong types, unknown fields, huge bodies, unknown
 * ids, path tricks and bad tokens. Each answer must be a 4xx JSON error naming the problem, and
 * the store must be exactly as it was. The cases are generated from the server's own route table,
 * so a new endpoint is covered as soon as it exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { z } from 'zod';
import type { ApiRoute } from '../../src/api/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import type { ApiDaemon, HttpAnswer, RequestOptions } from './api-harness.ts';
import { startApiDaemon } from './api-harness.ts';
import type { FreshStore } from './api-fixtures.ts';
import { baseYaml } from './api-fixtures.ts';

/** A template, so the instance routes are tried on a job that has instances. */
const templateYaml = `  per-project:
    template: true
    run: [echo, '{project}']
    params: { project: { type: string } }
`;

interface Case {
  readonly name: string;
  readonly method: string;
  readonly target: string;
  readonly options?: RequestOptions;
  /** The status expected (a 4xx). */
  readonly status: number;
  readonly code?: string | RegExp;
  /** The answer names this place (error.path or one of error.issues). */
  readonly names?: string;
}

function shape(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  const found = (schema as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  return found ?? {};
}

/** A JSON value of another type than the field takes, or undefined when it takes anything. */
function wrongValue(field: z.ZodType): unknown {
  return [12345, 'not-valid', true, [1], { nested: 1 }, -1].find((value) => !field.safeParse(value).success);
}

export function defineBadInputSuite(storeName: string, freshStore: FreshStore): void {
  describe(`bad input to every endpoint on ${storeName}`, () => {
    let api: ApiDaemon;
    let reader: string;
    let runId: number;
    let eventId: number;
    let pingId: string;
    const snapshot = async (): Promise<unknown> => {
      const { store } = api.daemon;
      return {
        runs: (await store.listRuns({ limit: 1000 })).runs.map(
          (run) => `${run.id}:${run.status}:${run.runAfter}`,
        ),
        jobs: (await store.listJobs()).map((job) => `${job.name}:${job.paused}`),
        tokens: (await store.listApiTokens({ includeRevoked: true })).map(
          (token) => `${token.name}:${token.revokedAt}`,
        ),
        audit: (await store.listAudit({ limit: 1000 })).entries.length,
        events: (await store.listEvents({ limit: 1000 })).events.map(
          (event) => `${event.id}:${event.count}:${event.resolvedAt}`,
        ),
        pings: (await store.listPings({ monitor: 'watched' })).pings.length,
        monitors: (await store.listMonitors()).map(
          (monitor) => `${monitor.name}:${monitor.status}:${monitor.paused}:${monitor.resumedAt}`,
        ),
      };
    };

    before(async () => {
      api = await startApiDaemon({
        yaml: `${baseYaml}${templateYaml}monitors:\n  watched: { period: 1h }\n`,
        storeUrl: await freshStore(),
        // Hundreds of bad tokens from one address: this suite checks each answer, not their limit
        // (limits-suite.ts does).
        authFailureLimit: { burst: 1_000_000, refillMs: 1000, maxAddresses: 10 },
      });
      pingId = (await api.daemon.store.getMonitor('watched'))?.pingId ?? '';
      reader = (await api.request('POST', '/api/tokens', { json: { name: 'reader', scope: 'read' } })).body
        .token;
      await api.request('POST', '/api/tokens', { json: { name: 'keeper', scope: 'read' } });
      runId = (await api.request('POST', '/api/jobs/cleanup-tmp/trigger')).body.runs[0].id;
      eventId = (
        await api.daemon.store.recordEvent({
          kind: 'run:failed',
          dedupKey: 'cleanup-tmp:failed',
          severity: 'failure',
          job: 'cleanup-tmp',
          at: Date.now(),
        })
      ).id;
      await waitFor('the run to end', async () => {
        const run = await api.daemon.store.getRun(runId);
        return run !== undefined && run.status === 'succeeded' ? true : undefined;
      });
    });
    after(async () => {
      await api.stop();
    });

    const valid: Record<string, string> = { job: 'hello', id: '', name: 'keeper', monitor: 'watched' };
    const fill = (route: ApiRoute, overrides: Record<string, string> = {}): string =>
      route.url.replace(
        /:([A-Za-z]+)/g,
        (_match: string, param: string) =>
          overrides[param] ??
          (param === 'id'
            ? String(route.url.startsWith('/api/events/') ? eventId : runId)
            : param === 'job' && route.url.includes('/instances')
              ? 'per-project'
              : (valid[param] ?? 'x')),
      );

    /**
     * The ping endpoints take no token and any body: a malformed or unknown id is a 404 (it is not
     * looked up, nothing is stored), a bad action a 400, a bad query a 400 — even for a real id.
     */
    function pingCases(route: ApiRoute): Case[] {
      const cases: Case[] = [];
      const withAction = route.url.endsWith('/:action');
      const url = (id: string, action = '0') => `/ping/${id}${withAction ? `/${action}` : ''}`;
      const bodies: Array<RequestOptions | undefined> =
        route.method === 'POST'
          ? [
              { raw: '{"params": {', headers: { 'content-type': 'application/json' } },
              { raw: 'x'.repeat(300_000), headers: { 'content-type': 'text/plain' } },
            ]
          : [undefined];
      for (const options of bodies) {
        cases.push({
          name: 'an unknown id',
          method: route.method,
          target: url('0'.repeat(32)),
          ...(options === undefined ? {} : { options }),
          status: 404,
          code: 'api.unknown-ping-id',
          names: 'path.id',
        });
      }
      for (const trick of ['%2E%2E', '%00', '-1', 'A'.repeat(150), '%20', '1', 'abc%2Fdefabcdefabcdefabc']) {
        cases.push({
          name: `id ${trick.slice(0, 20)}`,
          method: route.method,
          target: url(trick),
          status: 404,
          code: 'api.unknown-ping-id',
          names: 'path.id',
        });
      }
      cases.push({ name: 'id %FF', method: route.method, target: url('%FF'), status: 400, names: 'path' });
      cases.push({
        name: '../ in place of the id',
        method: route.method,
        target: url('../../etc/passwd'),
        status: 404,
        code: 'api.not-found',
      });
      if (withAction) {
        for (const trick of ['256', '-1', '007', '1e3', 'START', '%00', 'A'.repeat(150), '%2E%2E']) {
          cases.push({
            name: `action ${trick.slice(0, 20)}`,
            method: route.method,
            target: url(pingId, trick),
            status: 400,
            code: 'api.invalid',
            names: 'path.action',
          });
        }
      }
      cases.push({
        name: 'an unknown query field',
        method: route.method,
        target: `${url(pingId)}?bogus=1`,
        status: 400,
        code: 'api.unknown-field',
        names: 'query.bogus',
      });
      for (const query of ['rid=%FF%FE', 'rid=1&rid=2', `rid=${'r'.repeat(65)}`, 'rid=a%20b']) {
        cases.push({
          name: `query ${query.slice(0, 20)}`,
          method: route.method,
          target: `${url(pingId)}?${query}`,
          status: 400,
          names: 'query.rid',
        });
      }
      return cases;
    }

    function casesFor(route: ApiRoute): Case[] {
      if (route.rawBody === true) return pingCases(route);
      const cases: Case[] = [];
      // A job written through the API (PUT, PATCH) is one the file does not define: its body is
      // what is judged (a file job is refused whatever the body, 409).
      const writesJob =
        (route.method === 'PUT' || route.method === 'PATCH') &&
        route.url.includes(':job') &&
        !route.url.includes('/instances');
      const target = writesJob ? fill(route, { job: 'app-made' }) : fill(route);
      const hasBody = route.body !== undefined;
      if (route.access !== 'public') {
        cases.push({
          name: 'no token',
          method: route.method,
          target,
          options: { token: null },
          status: 401,
          code: 'api.unauthorized',
        });
        cases.push({
          name: 'a made-up token',
          method: route.method,
          target,
          options: { token: 'cpt_aaaaaaaaaaaa_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' },
          status: 401,
          code: 'api.unauthorized',
        });
        cases.push({
          name: 'a Basic header',
          method: route.method,
          target,
          options: { token: null, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } },
          status: 401,
          code: 'api.unauthorized',
        });
        if (route.access !== 'read') {
          cases.push({
            name: 'a read token',
            method: route.method,
            target,
            options: { token: reader, json: {} },
            status: 403,
            code: 'api.forbidden',
          });
        }
      }
      for (const param of Object.keys(shape(route.path))) {
        const unknown = param === 'job' ? 'no-such-job' : param === 'id' ? '99999999' : 'nobody';
        // PUT of an unknown job creates it: the empty entry is what is refused, naming the body.
        // So does PUT of an unknown instance of a template.
        const creates =
          route.method === 'PUT' && ((param === 'job' && route.url === '/api/jobs/:job') || param === 'key');
        cases.push({
          name: `unknown ${param}`,
          method: route.method,
          target: fill(route, { [param]: unknown }),
          options: hasBody ? { json: route.body?.safeParse({}).success === true ? {} : { payload: {} } } : {},
          status: creates ? 400 : 404,
          names: creates ? 'body' : `path.${param}`,
        });
        const tricks = ['..%2F..%2Fetc%2Fpasswd', '%2E%2E', '%00', '-1', 'A'.repeat(150), '%FF', '%20'];
        if (param === 'id') tricks.push('1e3', '0', '0x10', '99999999999999999');
        for (const trick of tricks) {
          cases.push({
            name: `${param} ${trick.slice(0, 20)}`,
            method: route.method,
            target: fill(route, { [param]: trick }),
            status: 400,
            names: trick === '%FF' ? 'path' : `path.${param}`,
          });
        }
        cases.push({
          name: `../ in place of ${param}`,
          method: route.method,
          target: fill(route, { [param]: '../../etc/passwd' }),
          status: 404,
          code: 'api.not-found',
        });
      }
      cases.push({
        name: 'an unknown query field',
        method: route.method,
        target: `${target}?bogus=1`,
        status: 400,
        code: 'api.unknown-field',
        names: 'query.bogus',
      });
      for (const field of Object.keys(shape(route.query))) {
        cases.push({
          name: `query ${field} of the wrong type`,
          method: route.method,
          target: `${target}?${field}=%FF%FE`,
          status: 400,
          names: `query.${field}`,
        });
        cases.push({
          name: `query ${field} twice`,
          method: route.method,
          target: `${target}?${field}=1&${field}=2`,
          status: 400,
          names: `query.${field}`,
        });
      }
      if (route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH') {
        const json = { 'content-type': 'application/json' };
        cases.push({
          name: 'malformed JSON',
          method: route.method,
          target,
          options: { raw: '{"params": {', headers: json },
          status: 400,
          code: 'api.invalid-json',
          names: 'body',
        });
        cases.push({
          name: 'a JSON array',
          method: route.method,
          target,
          options: { raw: '[1, 2]', headers: json },
          status: 400,
          names: 'body',
        });
        cases.push({
          name: 'a JSON string',
          method: route.method,
          target,
          options: { raw: '"x"', headers: json },
          status: 400,
          names: 'body',
        });
        cases.push({
          name: 'an unknown field',
          method: route.method,
          target,
          options: { json: { bogus: 1 } },
          status: 400,
          // A job entry (or the bulk write's list of them) is judged by the job file's schema,
          // whose refusal is api.invalid; the bulk write's body must be a list at all.
          code: route.method === 'POST' ? 'api.unknown-field' : 'api.invalid',
          names: route.method === 'PUT' && !writesJob ? 'body' : 'body.bogus',
        });
        cases.push({
          name: 'a __proto__ key',
          method: route.method,
          target,
          options: { raw: '{"__proto__": {"admin": true}}', headers: json },
          status: 400,
          code: 'api.invalid-json',
        });
        cases.push({
          name: 'a huge body',
          method: route.method,
          target,
          options: { json: { payload: 'x'.repeat(1_100_000) } },
          status: 413,
          code: 'api.body-too-large',
        });
        cases.push({
          name: 'a text body',
          method: route.method,
          target,
          options: { raw: 'params=1', headers: { 'content-type': 'text/plain' } },
          status: 415,
          code: 'api.unsupported-media-type',
        });
        for (const [field, schema] of Object.entries(shape(route.body))) {
          const wrong = wrongValue(schema);
          if (wrong === undefined) continue;
          cases.push({
            name: `body ${field} of the wrong type`,
            method: route.method,
            target,
            options: { json: { [field]: wrong } },
            status: 400,
            names: `body.${field}`,
          });
        }
      }
      if (route.method === 'DELETE') {
        cases.push({
          name: 'a body',
          method: 'DELETE',
          target,
          options: { json: { bogus: 1 } },
          status: 400,
          names: 'body',
        });
      }
      return cases;
    }

    function check(answer: HttpAnswer, expected: Case): void {
      const what = `${expected.method} ${expected.target.slice(0, 80)} (${expected.name}): ${answer.status} ${answer.text.slice(0, 300)}`;
      assert.ok(answer.status >= 400 && answer.status < 500, `not a 4xx: ${what}`);
      assert.equal(answer.status, expected.status, what);
      assert.match(String(answer.headers['content-type']), /^application\/json/, what);
      const error = answer.body?.error as
        { code?: string; message?: string; path?: string; issues?: { path: string }[] } | undefined;
      assert.ok(
        error !== undefined && typeof error.code === 'string' && typeof error.message === 'string',
        what,
      );
      assert.ok((error.message ?? '').length > 10, `the message says what is wrong: ${what}`);
      if (expected.code !== undefined) {
        if (typeof expected.code === 'string') assert.equal(error.code, expected.code, what);
        else assert.match(error.code ?? '', expected.code, what);
      }
      if (expected.names !== undefined) {
        const places = [error.path ?? '', ...(error.issues ?? []).map((issue) => issue.path)];
        assert.ok(
          places.some((place) => place === expected.names || place.startsWith(`${expected.names}.`)),
          `the answer names ${expected.names}: ${what}`,
        );
      }
    }

    it('answers every bad request to every endpoint with a 4xx JSON error naming the problem, changing nothing', async () => {
      const routes = api.daemon.server?.routes ?? [];
      assert.ok(routes.length >= 20, `${routes.length} routes`);
      // A job defined through the API, for the routes that change one (PATCH needs it to exist).
      const made = await api.request('PUT', '/api/jobs/app-made', {
        json: { schedule: 'daily', run: 'true' },
      });
      assert.equal(made.status, 201, made.text);
      const before = await snapshot();
      let count = 0;
      for (const route of routes) {
        for (const expected of casesFor(route)) {
          check(
            await api.request(expected.method, expected.target, { token: undefined, ...expected.options }),
            expected,
          );
          count++;
        }
      }
      assert.deepEqual(await snapshot(), before, 'the store is as it was');
      assert.ok(count > 200, `${count} bad requests`);
    });

    it('answers unknown endpoints and methods with a JSON 404', async () => {
      const before = await snapshot();
      for (const [method, target] of [
        ['GET', '/api/nope'],
        ['PUT', '/api/runs/1'],
        ['PATCH', '/api/runs'],
        ['GET', '/api/../../etc/passwd'],
        ['GET', '/%2e%2e/%2e%2e/etc/passwd'],
      ] as const) {
        const answer = await api.request(method, target);
        check(answer, { name: 'unknown endpoint', method, target, status: 404, code: 'api.not-found' });
      }
      assert.deepEqual(await snapshot(), before);
    });

    it('refuses business mistakes with a 4xx naming them: a missing queue key, a job without a queue, an unknown parameter', async () => {
      const before = await snapshot();
      const noQueue = await api.request('POST', '/api/jobs/hello/queue', { json: { payload: { a: 1 } } });
      check(noQueue, {
        name: 'no queue',
        method: 'POST',
        target: '/api/jobs/hello/queue',
        status: 409,
        code: 'queue.not-a-queue',
      });
      const param = await api.request('POST', '/api/jobs/hello/trigger', { json: { params: { nope: '1' } } });
      check(param, {
        name: 'unknown param',
        method: 'POST',
        target: '',
        status: 400,
        names: 'body.params.nope',
      });
      const badName = await api.request('POST', '/api/jobs/hello/trigger', {
        json: { params: { 'bad-name': '1' } },
      });
      check(badName, {
        name: 'bad param name',
        method: 'POST',
        target: '',
        status: 400,
        names: 'body.params.bad-name',
      });
      const token = await api.request('POST', '/api/tokens', { json: { name: 'x', scope: 'root' } });
      check(token, { name: 'bad scope', method: 'POST', target: '', status: 400, names: 'body.scope' });
      const pattern = await api.request('POST', '/api/tokens', {
        json: { name: 'x', scope: 'read', jobs: ['Bad Pattern!'] },
      });
      check(pattern, { name: 'bad pattern', method: 'POST', target: '', status: 400, names: 'body.jobs.0' });
      const retry = await api.request('POST', `/api/runs/${runId}/retry`);
      check(retry, {
        name: 'retry a success',
        method: 'POST',
        target: '',
        status: 409,
        code: 'api.conflict',
      });
      const severity = await api.request('GET', '/api/events?severity=critical,fatal');
      check(severity, {
        name: 'bad severity',
        method: 'GET',
        target: '',
        status: 400,
        names: 'query.severity',
      });
      const window = await api.request(
        'GET',
        '/api/events?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z',
      );
      check(window, { name: 'empty window', method: 'GET', target: '', status: 400, names: 'query.until' });
      const resolved = await api.request('POST', `/api/events/${eventId}/resolve`, {
        json: { note: 'fixed' },
      });
      check(resolved, {
        name: 'resolve with a note',
        method: 'POST',
        target: '',
        status: 400,
        names: 'body.note',
      });
      const range = await api.request('GET', '/api/runs?limit=1001');
      check(range, { name: 'page too large', method: 'GET', target: '', status: 400, names: 'query.limit' });
      assert.deepEqual(await snapshot(), before);
    });
  });
}
