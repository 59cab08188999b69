import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { createExecutor, executionRequestFor } from '../../src/executors/index.ts';
import { collect, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-request-'));
const fixture = path.join(import.meta.dirname, 'fixtures', 'module-jobs.ts');
let server: TestServer;
let jobs: Map<string, ResolvedJob>;
const scheduledAt = Date.UTC(2025, 0, 2, 2, 0, 0);

before(async () => {
  server = await startServer((req, _body, res) =>
    res.writeHead(200).end(`${req.url} ${req.headers['x-tenant']}`),
  );
  const file = path.join(folder, 'cronplane.yaml');
  writeFileSync(
    file,
    `version: 1
jobs:
  eval:
    schedule: "0 2 * * *"
    for_each: { tenant_id: "acme,globex" }
    run: [sh, -c, 'echo "$TENANT_ID {tenant_id} $CRONPLANE_SCHEDULED_AT"; echo "{\\"score\\": 0.9}"']
    env: { TENANT_ID: "{tenant_id}" }
    metrics: stdout_json
    exit_codes: { 1: critical }
    timeout: 30s
  ping:
    schedule: "0 2 * * *"
    for_each: { tenant_id: "acme" }
    http: { url: "${server.url}/t/{tenant_id}", headers: { x-tenant: "{tenant_id}" } }
  report:
    schedule: "0 2 * * *"
    module: { path: ${JSON.stringify(fixture)} }
`,
  );
  jobs = new Map(readConfig(file, { kinds: builtinKinds, env: {} }).jobs.map((job) => [job.name, job]));
});

after(() => server.close());

function job(name: string): ResolvedJob {
  const found = jobs.get(name);
  assert.ok(found !== undefined, `job ${name}`);
  return found;
}

describe('execution requests from a job file', () => {
  it('adds the built-in placeholders and carries the job settings for a command', async () => {
    const eval_ = job('eval');
    const run = {
      id: 17,
      attempt: 1,
      params: { tenant_id: 'globex' },
      fanKey: 'globex',
      scheduledAt,
      dryRun: false,
    };
    const request = executionRequestFor(eval_, run);
    assert.deepEqual(request.params, {
      tenant_id: 'globex',
      job: 'eval',
      run_id: '17',
      attempt: '1',
      scheduled_at: '2025-01-02T02:00:00.000Z',
      fan_key: 'globex',
    });
    assert.equal(request.timeoutMs, 30_000);
    assert.equal(request.target.kind, 'command');

    const sink = collect();
    const result = await createExecutor().execute(request, sink);
    assert.equal(result.outcome, 'success');
    assert.equal(sink.text('stdout'), 'globex globex 2025-01-02T02:00:00.000Z\n{"score": 0.9}\n');
    assert.deepEqual(result.metrics, { score: 0.9 });
  });

  it('gives each run its own scheduled time, runs of one time and of another in turn', () => {
    const times = [
      scheduledAt,
      scheduledAt,
      scheduledAt + 1,
      Date.UTC(2031, 5, 7, 8, 9, 10, 11),
      scheduledAt,
    ];
    const formatted = times.map(
      (at, index) =>
        executionRequestFor(job('eval'), {
          id: index,
          attempt: 1,
          params: { tenant_id: 'acme' },
          fanKey: 'acme',
          scheduledAt: at,
          dryRun: false,
        }).params['scheduled_at'],
    );
    assert.deepEqual(formatted, [
      '2025-01-02T02:00:00.000Z',
      '2025-01-02T02:00:00.000Z',
      '2025-01-02T02:00:00.001Z',
      '2031-06-07T08:09:10.011Z',
      '2025-01-02T02:00:00.000Z',
    ]);
  });

  it('hands http and module runs to their executors', async () => {
    const executor = createExecutor();
    const run = {
      id: 3,
      attempt: 1,
      params: { tenant_id: 'acme' },
      fanKey: 'acme',
      scheduledAt,
      dryRun: false,
    };
    const sink = collect();
    const ping = await executor.execute(executionRequestFor(job('ping'), run), sink);
    assert.equal(ping.outcome, 'success');
    assert.equal(sink.text('stdout'), '/t/acme acme');

    const report = job('report');
    const request = executionRequestFor(report, { ...run, params: { tenant: 'initech' } });
    assert.equal(request.target, report.target, 'a module target passes through unchanged');
    const result = await executor.execute(request, collect());
    assert.deepEqual(result.metrics, { rows: 3, rate: 0.25 });
  });
});
