/**
 * The client's types cannot drift from the API: they are the outputs of the zod schemas the
 * routes answer with, and here every answer the client receives on a tour of its operations
 * against a real daemon is checked against the schema its route declares for that status —
 * strictly (a field the schema does not name is a failure, not stripped). Every route with a JSON
 * answer is on the tour unless it is named below as outside the client, so a new route without a
 * client operation fails this test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { z } from 'zod';
import { apiRoutes } from '../../src/api/server/api-routes.ts';
import type { ApiRoute } from '../../src/api/index.ts';
import { CronplaneClient } from '../../src/client.ts';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

/** Routes with JSON answers that the client does not call, and why. */
const outsideTheClient: Readonly<Record<string, string>> = {
  healthz: 'probes for load balancers',
  readyz: 'probes for load balancers',
  listTokens: 'tokens are managed with cronplane token on the store',
  createToken: 'tokens are managed with cronplane token on the store',
  revokeToken: 'tokens are managed with cronplane token on the store',
  openSession: "the dashboard's sign-in",
  getSession: "the dashboard's sign-in",
  closeSession: "the dashboard's sign-in",
  issueSignInCode: "the dashboard's sign-in",
};

const yaml = `version: 1
jobs:
  report:
    run: [sh, -c, 'echo report; echo "{\\"rate\\": 0.5}"']
    metrics: stdout_json
  flaky:
    run: [sh, -c, 'exit 3']
  sweep:
    run: [sh, -c, 'cat']
    schedule: '0 6 1 1 *'
    queue: { key: org }
  per-project:
    template: true
    schedule: 'every {hours}h'
    run: [echo, '{project}']
    params:
      project: { type: string }
      hours: { type: integer, min: 1, max: 168, default: 6 }
monitors:
  backup: { period: 1d }
`;

interface Answer {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

const answers: Answer[] = [];
const realFetch = globalThis.fetch;

/** Keeps every JSON answer the client receives, as it came. */
async function recordingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await realFetch(input, init);
  if (response.headers.get('content-type')?.startsWith('application/json') === true) {
    const url = new URL(input instanceof Request ? input.url : input);
    answers.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      status: response.status,
      body: JSON.parse(await response.clone().text()) as unknown,
    });
  }
  return response;
}

/** The route answering `method path`: a literal segment wins over a parameter. */
function routeOf(routes: readonly ApiRoute[], method: string, path: string): ApiRoute | undefined {
  const segments = path.split('/');
  const matching = routes.filter((route) => {
    const pattern = route.url.split('/');
    return (
      route.method === method &&
      pattern.length === segments.length &&
      pattern.every((part, index) => part.startsWith(':') || part === segments[index])
    );
  });
  const params = (route: ApiRoute) => route.url.split('/').filter((part) => part.startsWith(':')).length;
  return matching.sort((a, b) => params(a) - params(b))[0];
}

let harness: StoreHarness | undefined;
let api: ApiDaemon | undefined;

describe("the client's answers, against the API's schemas", () => {
  before(async () => {
    harness = await createSqliteHarness();
    await harness.reset();
    api = await startApiDaemon({ storeUrl: harness.url, yaml });
    globalThis.fetch = recordingFetch;
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await api?.stop();
    await harness?.close();
  });

  it('gets, on a tour of every operation, only answers its routes declare, field for field', async () => {
    const client = new CronplaneClient({ server: api?.url as string, token: bootstrapToken });
    await client.listJobs();
    await client.getJob('report');
    await client.listNextFires('sweep', { count: 2 });
    // Jobs an application manages through the API.
    const made = await client.putJob('app-hourly', { schedule: 'hourly', run: 'true' });
    await client.patchJob('app-hourly', { schedule: 'daily' }, { ifMatch: made.job.version ?? 0 });
    await client.putJobs([{ name: 'app-daily', entry: { schedule: 'daily', run: 'true' } }]);
    await client.listJobVersions('app-hourly');
    await client.listApiJobEntries();
    await client.deleteJob('app-daily');
    // Instances of a template of the job file.
    await client.putInstance('per-project', 'acme', { params: { project: 'acme', hours: 2 } });
    await client.putInstance('per-project', 'beta', { params: { project: 'beta' } });
    await client.listInstances('per-project');
    await client.deleteInstance('per-project', 'beta');
    await client.pauseJob('report');
    await client.resumeJob('report');
    const [report] = await client.triggerJob('report');
    assert.ok(report !== undefined);
    for await (const _chunk of client.logs(report.id, { follow: true }));
    for await (const _chunk of client.logs(report.id));
    await client.listJobMetrics('report');
    await client.getMetricHistory('report', 'rate');
    await client.enqueue('sweep', { payload: { org: 'acme' } });
    await client.getQueue('sweep');
    await client.listQueues();
    await client.listRecentRuns();
    await client.listRuns({ job: 'report', status: ['succeeded'] });
    await client.getRunStats();
    await client.getRun(report.id);
    const [flaky] = await client.triggerJob('flaky');
    assert.ok(flaky !== undefined);
    for await (const _chunk of client.logs(flaky.id, { follow: true }));
    const retry = await client.retryRun(flaky.id);
    await client.cancelRun(retry.id).catch(() => undefined);
    const event = await firstEvent(client);
    await client.getEvent(event);
    await client.resolveEvent(event);
    await client.listAudit();
    await client.listMonitors();
    await client.getMonitor('backup');
    await client.listMonitorPings('backup');
    await client.pauseMonitor('backup');
    await client.resumeMonitor('backup');
    const [node] = await client.listNodes();
    assert.ok(node !== undefined);
    await client.drainNode(node.name);

    const routes = apiRoutes('0.0.0-test');
    const answered = new Set<string>();
    for (const answer of answers) {
      const route = routeOf(routes, answer.method, answer.path);
      assert.ok(route, `${answer.method} ${answer.path} is a route`);
      const schema = route.responses[answer.status]?.schema as z.ZodType | undefined;
      assert.ok(schema, `${route.operationId} declares its ${answer.status} answer`);
      const parsed = schema.safeParse(answer.body);
      assert.ok(parsed.success, `${route.operationId} ${answer.status}: ${parsed.error?.message ?? ''}`);
      assert.deepEqual(parsed.data, answer.body, `${route.operationId} answers only the fields it declares`);
      if (answer.status < 300) answered.add(route.operationId);
    }
    const expected = routes
      .filter((route) =>
        Object.entries(route.responses).some(([status, spec]) => Number(status) < 300 && spec.schema),
      )
      .map((route) => route.operationId)
      .filter((operation) => outsideTheClient[operation] === undefined);
    assert.deepEqual(
      expected.filter((operation) => !answered.has(operation)),
      [],
      'routes with a JSON answer that the client did not call (add an operation, or name it outside the client)',
    );
  });
});

/** The event the failed run opened (raised just after the run ends: asked again, at most 10 s). */
async function firstEvent(client: CronplaneClient): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const [event] = (await client.listEvents({ job: 'flaky' })).events;
    if (event !== undefined) return event.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('no event of flaky');
}
