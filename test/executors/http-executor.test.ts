import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/config/index.ts';
import { createHttpExecutor } from '../../src/executors/index.ts';
import type { HttpSpec } from '../../src/executors/index.ts';
import { collect, request, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

const executor = createHttpExecutor();
const bearer = 'sk-live-0123456789';
const headerSecret = 'hdr-secret-value';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: TestServer;
const seen: Seen[] = [];

function spec(overrides: Partial<HttpSpec> = {}): HttpSpec {
  return {
    kind: 'http',
    method: 'GET',
    url: `${server.url}/ok`,
    headers: {},
    bearer: undefined,
    body: undefined,
    expectStatus: undefined,
    expectBody: [],
    metricsField: undefined,
    ...overrides,
  };
}

before(async () => {
  server = await startServer((req, body, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const path = `/${(req.url ?? '').split('?')[0]?.split('/')[1] ?? ''}`;
    switch (path) {
      case '/unavailable':
        res.writeHead(503).end('down for maintenance');
        return;
      case '/created':
        res.writeHead(201).end();
        return;
      case '/metrics':
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'ok',
            result: { metrics: { processed: 12, rate: 0.5, note: 'x' }, count: 3 },
          }),
        );
        return;
      case '/echo':
        res.writeHead(200).end(`auth=${req.headers['authorization']} key=${req.headers['x-api-key']}`);
        return;
      case '/slow':
        setTimeout(() => res.writeHead(200).end('late'), 3000).unref();
        return;
      case '/big':
        res.writeHead(200).end('x'.repeat(100_000));
        return;
      default:
        res.writeHead(200).end('fine');
    }
  });
});

after(() => server.close());

describe('the http executor', () => {
  it('sends the request and captures the response body', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(
        spec({
          method: 'POST',
          url: `${server.url}/ok/{tenant}?q={tenant}`,
          headers: { 'x-tenant': '{tenant}' },
          body: '{"tenant": "{tenant}"}',
        }),
        { params: { tenant: 'acme corp' }, runId: '9' },
      ),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.equal(result.httpStatus, 200);
    assert.equal(sink.text('stdout'), 'fine');
    assert.equal(result.outputBytes, 4);
    const last = seen.at(-1);
    assert.equal(last?.method, 'POST');
    assert.equal(last?.url, '/ok/acme%20corp?q=acme%20corp');
    assert.equal(last?.headers['x-tenant'], 'acme corp');
    assert.equal(last?.headers['content-type'], 'application/json');
    assert.equal(last?.headers['x-cronplane-run-id'], '9');
    assert.equal(last?.body, '{"tenant": "acme corp"}');
  });

  it('fails on a status outside 2xx, with the reason', async () => {
    const sink = collect();
    const result = await executor.execute(request(spec({ url: `${server.url}/unavailable` })), sink);
    assert.equal(result.outcome, 'failure');
    assert.equal(result.httpStatus, 503);
    assert.equal(result.error, 'status 503, expected 2xx');
    assert.equal(sink.text('stdout'), 'down for maintenance');
  });

  it('checks the expected statuses when the job lists them', async () => {
    const created = await executor.execute(
      request(spec({ url: `${server.url}/created`, expectStatus: [201] })),
      collect(),
    );
    assert.equal(created.outcome, 'success');
    const ok = await executor.execute(request(spec({ expectStatus: [201, 202] })), collect());
    assert.equal(ok.outcome, 'failure');
    assert.equal(ok.error, 'status 200, expected 201 or 202');
  });

  it('fails on a network error with the system’s words', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const port = new URL(closed.url).port;
    const result = await executor.execute(request(spec({ url: `${closed.url}/` })), collect());
    assert.equal(result.outcome, 'failure');
    assert.equal(result.httpStatus, undefined);
    assert.equal(result.error, `connect ECONNREFUSED 127.0.0.1:${port}`);
    const blocked = await executor.execute(request(spec({ url: 'http://127.0.0.1:1/' })), collect());
    assert.equal(blocked.error, 'the port is blocked by fetch (a "bad port" of the Fetch standard)');
  });

  it('times out', async () => {
    const result = await executor.execute(
      request(spec({ url: `${server.url}/slow` }), { timeoutMs: 200 }),
      collect(),
    );
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.error, 'timed out after 200ms');
    assert.ok(result.durationMs < 1000);
  });

  it('is cancelled by the abort signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('shutting down'), 100);
    const result = await executor.execute(
      request(spec({ url: `${server.url}/slow` })),
      collect(),
      controller.signal,
    );
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.error, 'shutting down');
  });

  it('reads metrics from a field of a JSON response (a dotted path, nested metrics or a number)', async () => {
    const nested = await executor.execute(
      request(spec({ url: `${server.url}/metrics`, metricsField: 'result' })),
      collect(),
    );
    assert.deepEqual(nested.metrics, { processed: 12, rate: 0.5 });
    const single = await executor.execute(
      request(spec({ url: `${server.url}/metrics`, metricsField: 'result.count' })),
      collect(),
    );
    assert.deepEqual(single.metrics, { count: 3 });
    const sink = collect();
    const missing = await executor.execute(request(spec({ metricsField: 'result' })), sink);
    assert.equal(missing.outcome, 'success');
    assert.equal(missing.metrics, undefined);
    assert.match(sink.text('system'), /the response is not JSON/);
  });

  it('sends the bearer token and secret headers but never shows them in output or errors', async () => {
    const secrets = { bearer: new Secret(bearer), headers: { 'x-api-key': new Secret(headerSecret) } };
    const sink = collect();
    const echoed = await executor.execute(request(spec({ url: `${server.url}/echo`, ...secrets })), sink);
    assert.equal(echoed.outcome, 'success');
    assert.equal(seen.at(-1)?.headers['authorization'], `Bearer ${bearer}`);
    assert.equal(seen.at(-1)?.headers['x-api-key'], headerSecret);
    assert.equal(sink.text('stdout'), 'auth=Bearer *** key=***');

    const failing = collect();
    const refused = await executor.execute(
      request(spec({ url: `${server.url}/unavailable/${bearer}`, ...secrets })),
      failing,
    );
    assert.equal(refused.outcome, 'failure');
    assert.match(failing.text('system'), /GET http:\/\/127\.0\.0\.1:\d+\/unavailable\/\*\*\*/);
    for (const text of [JSON.stringify(refused), failing.text(), JSON.stringify(echoed), sink.text()]) {
      assert.ok(!text.includes(bearer) && !text.includes(headerSecret), `no secret in ${text}`);
    }
  });

  it('caps the captured body', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(spec({ url: `${server.url}/big` }), { captureLimitBytes: 1000 }),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.equal(result.truncated, true);
    assert.equal(result.outputBytes, 100_000);
    assert.equal(sink.text('stdout').length, 1000);
  });

  it('does not send anything on a dry run', async () => {
    const before = seen.length;
    const sink = collect();
    const result = await executor.execute(
      request(spec({ method: 'POST', body: 'reset' }), { dryRun: true }),
      sink,
    );
    assert.equal(result.outcome, 'skip');
    assert.equal(seen.length, before);
    assert.match(
      sink.text('system'),
      /dry run: POST http:\/\/127\.0\.0\.1:\d+\/ok with a body of 5 B was not sent/,
    );
  });

  it('sends a queued payload as the JSON body when the job has none', async () => {
    await executor.execute(request(spec({ method: 'POST' }), { payload: { organization_id: 4 } }), collect());
    assert.equal(seen.at(-1)?.body, '{"organization_id":4}');
    assert.equal(seen.at(-1)?.headers['content-type'], 'application/json');
  });
});
