import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { ConfigProblem, JobFileKinds, ResolvedJob } from '../../src/config/index.ts';
import {
  createHttpExecutor,
  executionRequestFor,
  executorKinds,
  httpExecutorKind,
} from '../../src/executors/index.ts';
import type { ExecutionResult } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { collect, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-expect-body-'));
let counter = 0;
let server: TestServer;

before(async () => {
  server = await startServer((req, _body, res) => {
    switch (req.url) {
      case '/healthy':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'healthy', checks: [{ name: 'db', ok: true }], version: '2.4.1' }));
        return;
      case '/degraded':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'degraded', detail: 'token sk-live-abcdef0123456789 expired' }));
        return;
      case '/html':
        res.writeHead(200).end(`<html>${'maintenance '.repeat(100)}</html>`);
        return;
      case '/hang':
        // Headers are never sent: the endpoint hangs as the seed's gateway did.
        return;
      default:
        res.writeHead(404).end('no such page');
    }
  });
});

after(() => server.close());

function read(text: string, kinds: JobFileKinds = builtinKinds): ResolvedJob {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, text);
  const job = readConfig(file, { kinds, env: { SERVER: server.url } }).jobs[0];
  assert.ok(job !== undefined);
  return job;
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    read(text);
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return [...thrown.problems];
  }
  assert.fail('expected the job file to be refused');
}

async function runOnce(job: ResolvedJob, kinds?: JobFileKinds): Promise<ExecutionResult & { log: string }> {
  const run = { id: 7, attempt: 1, params: {}, fanKey: '', scheduledAt: Date.UTC(2026, 0, 1), dryRun: false };
  const request = executionRequestFor(
    job,
    run,
    kinds === undefined ? {} : { kinds: kinds.executors as typeof executorKinds },
  );
  const sink = collect();
  const result = await createHttpExecutor().execute(request as never, sink);
  return { ...result, log: sink.text() };
}

function healthJob(check: string, url = '/healthy'): string {
  return `version: 1
jobs:
  health:
    http:
      url: "\${SERVER}${url}"
      expect_body: ${check}
`;
}

describe('an HTTP job with no timeout of its own', () => {
  it('gets the default of 30 s, and a job or defaults: timeout overrides it', () => {
    assert.equal(read(healthJob('{ contains: ok }')).timeoutMs, 30_000);
    const own = read(`version: 1
jobs:
  health: { http: { url: "\${SERVER}/healthy" }, timeout: 5s }
`);
    assert.equal(own.timeoutMs, 5_000);
    const inherited = read(`version: 1
defaults: { timeout: 2m }
jobs:
  health: { http: { url: "\${SERVER}/healthy" } }
`);
    assert.equal(inherited.timeoutMs, 120_000);
    const command = read(`version: 1
jobs:
  backup: { run: ./backup.sh }
`);
    assert.equal(command.timeoutMs, undefined, 'a command still has no limit unless it says so');
  });

  it('ends timed_out, not succeeded, when the endpoint hangs past the kind default', async () => {
    // The built-in kind's default with a shorter span, so the test does not wait 30 s.
    const kinds: JobFileKinds = {
      channels: builtinKinds.channels,
      executors: executorKinds.map((kind) =>
        kind.key === 'http' ? { ...httpExecutorKind, defaultTimeoutMs: 300 } : kind,
      ),
    };
    const job = read(
      `version: 1
jobs:
  gateway: { http: { url: "\${SERVER}/hang" } }
`,
      kinds,
    );
    assert.equal(job.timeoutMs, 300);
    const started = performance.now();
    const result = await runOnce(job, kinds);
    assert.equal(result.outcome, 'timed_out');
    assert.match(result.error ?? '', /timed out after/);
    assert.ok(performance.now() - started < 5_000);
  });
});

describe('expect_body', () => {
  it('passes a run whose JSON body holds the value at the path', async () => {
    const result = await runOnce(read(healthJob('{ json: { path: "$.status", equals: healthy } }')));
    assert.equal(result.outcome, 'success', result.error);
  });

  it('fails a 200 whose value differs, saying what was expected and what came', async () => {
    const result = await runOnce(
      read(healthJob('{ json: { path: "$.status", equals: healthy } }', '/degraded')),
    );
    assert.equal(result.outcome, 'failure');
    assert.equal(result.httpStatus, 200);
    assert.equal(result.error, 'expect_body: expected $.status to equal "healthy", got "degraded"');
    assert.match(result.log, /expect_body: expected \$\.status/);
  });

  it('reads indexes, quoted names and numbers and booleans, and matches values against a pattern', async () => {
    const passing = [
      '{ json: { path: "$.checks[0].ok", equals: true } }',
      `{ json: { path: "$['checks'][0]['name']", equals: db } }`,
      '{ json: { path: "$.version", matches: "^2\\\\.[0-9]+\\\\.[0-9]+$" } }',
      '[{ contains: healthy }, { matches: "\\"status\\":\\"healthy\\"" }]',
    ];
    for (const check of passing) {
      const result = await runOnce(read(healthJob(check)));
      assert.equal(result.outcome, 'success', `${check}: ${result.error}`);
    }
  });

  it('names a missing path, a body that is not JSON, and a failed text check with a bounded excerpt', async () => {
    const missing = await runOnce(read(healthJob('{ json: { path: "$.checks[3].ok", equals: true } }')));
    assert.equal(
      missing.error,
      'expect_body: expected $.checks[3].ok to equal true, but the body has no $.checks[3].ok',
    );
    const notJson = await runOnce(
      read(healthJob('{ json: { path: "$.status", equals: healthy } }', '/html')),
    );
    assert.match(
      notJson.error ?? '',
      /^expect_body: expected a JSON body for \$\.status, got the body "<html>maintenance/,
    );
    const contains = await runOnce(read(healthJob('{ contains: "all good" }', '/html')));
    assert.equal(contains.outcome, 'failure');
    assert.match(
      contains.error ?? '',
      /^expect_body: expected the body to contain "all good", got the body "<html>/,
    );
    assert.match(contains.error ?? '', /… \(1215 characters\)$/);
    assert.ok((contains.error ?? '').length < 320, 'the excerpt is bounded');
  });

  it('masks a secret the body echoes in the failure message', async () => {
    const job = read(`version: 1
jobs:
  health:
    http:
      url: "\${SERVER}/degraded"
      headers: { X-Key: { secret: "sk-live-abcdef0123456789" } }
      expect_body: { contains: "all good" }
`);
    const result = await runOnce(job);
    assert.equal(result.outcome, 'failure');
    assert.doesNotMatch(result.error ?? '', /sk-live-abcdef0123456789/);
    assert.match(result.error ?? '', /\*\*\*/);
  });

  it('is checked only after the status: a wrong status is the failure', async () => {
    const result = await runOnce(read(healthJob('{ contains: healthy }', '/missing')));
    assert.equal(result.error, 'status 404, expected 2xx');
  });

  it('refuses a bad path, a pattern that does not compile and a json check without equals or matches, each at its field', () => {
    const cases: [string, string, RegExp][] = [
      ['{ json: { path: "status", equals: x } }', 'jobs.health.http.expect_body.json.path', /no leading \$/],
      [
        '{ json: { path: "$.a[*]", equals: x } }',
        'jobs.health.http.expect_body.json.path',
        /unreadable \[\.\.\.\] step at character 4/,
      ],
      ['{ matches: "(" }', 'jobs.health.http.expect_body.matches', /does not compile/],
      [
        '[{ contains: a }, { json: { path: "$.a" } }]',
        'jobs.health.http.expect_body[1].json',
        /exactly one of equals or matches/,
      ],
      ['{ json: { path: "$.a", equals: { b: 1 } } }', 'jobs.health.http.expect_body', /./],
      [
        '{ startsWith: ok }',
        'jobs.health.http.expect_body',
        /expected \{ json: \{ path, equals \| matches \} \}/,
      ],
    ];
    for (const [check, at, message] of cases) {
      const problems = problemsOf(healthJob(check));
      assert.equal(problems.length, 1, `${check}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0]?.path, at, check);
      assert.match(problems[0]?.message ?? '', message, check);
      assert.ok((problems[0]?.line ?? 0) >= 5, `${check} is located in the file`);
    }
  });
});
