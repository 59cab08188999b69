/**
 * HTTP jobs as curl lines (src/interop/http-command-for.ts): the line a crontab gets, run by a real
 * `/bin/sh` against a real HTTP server on loopback with the secret in the environment, makes the
 * request cronplane's own HTTP executor makes for the same job; the secret's value is never written.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { ResolvedJob } from '../../src/config/index.ts';
import { createHttpExecutor } from '../../src/executors/index.ts';
import type { HttpSpec } from '../../src/executors/index.ts';
import { crontabExporter } from '../../src/interop/index.ts';
import { collect, request, startServer } from '../executors/helpers.ts';
import type { TestServer } from '../executors/helpers.ts';
import { loadJob } from './export-fixtures.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

const compared = ['authorization', 'x-api-key', 'x-team', 'content-type', 'user-agent'];
const bearer = 'tok-0123456789';
const apiKey = 'key-abcdef';
let server: TestServer;
let seen: Seen[] = [];

before(async () => {
  server = await startServer((req, body, res) => {
    const headers = Object.fromEntries(
      compared.map((name) => [name, req.headers[name] as string | undefined]),
    );
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers, body });
    res.writeHead(req.url?.startsWith('/broken') === true ? 500 : 200).end('answer');
  });
});
after(() => server.close());

/** The job's crontab lines without their schedule, as cron hands them to sh. */
function commandLines(job: ResolvedJob, file: string): { lines: string[]; text: string } {
  const { files } = crontabExporter.exportJobs([job], { configPath: file });
  const text = files[0]?.text ?? '';
  const lines = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !/^[A-Z_]+=/.test(line))
    .map((line) => line.split(' ').slice(5).join(' '))
    // Vixie cron turns each \% back into %, then runs the line with /bin/sh -c.
    .map((line) => line.replaceAll('\\%', '%'));
  return { lines, text };
}

/** Runs a line with /bin/sh as cron does (the server answers meanwhile, in this process); its exit code. */
async function runLine(line: string, env: Record<string, string>): Promise<number | null> {
  const child = spawn('/bin/sh', ['-c', line], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: 'ignore',
    timeout: 10_000,
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

async function executorRequests(job: ResolvedJob): Promise<Seen[]> {
  seen = [];
  for (const params of job.fanOut) {
    const result = await createHttpExecutor().execute(
      request(job.target as HttpSpec, { params: { ...params, job: job.name } }),
      collect(),
    );
    assert.equal(result.outcome, 'success', result.error);
  }
  return seen;
}

const secretEnv = { CRON_SECRET: bearer, CRON_HEADER_X_API_KEY: apiKey };

describe('HTTP jobs as curl lines', () => {
  it('makes the request the job makes: method, path, query, headers, secret headers and a JSON body', async () => {
    const { job, file } = loadJob(
      [
        'schedule: "0 8 * * 0"',
        'timeout: 30s',
        'http:',
        `  url: "${server.url}/api/v1/workers/cleanup?keep=30&mode=a b"`,
        `  bearer: "${bearer}"`,
        `  headers: { X-Team: "ops & data", X-Api-Key: { secret: "${apiKey}" } }`,
        '  body: { retentionDays: 30, note: "it\'s 100% $HOME" }',
      ].join('\n'),
    );
    const { lines, text } = commandLines(job, file);
    assert.equal(lines.length, 1, text);
    assert.doesNotMatch(text, new RegExp(`${bearer}|${apiKey}`));
    assert.match(text, /"\$CRON_SECRET"/);
    assert.match(text, /--max-time 30 /);
    const expected = await executorRequests(job);
    seen = [];
    assert.equal(await runLine(lines[0] ?? '', secretEnv), 0);
    assert.deepEqual(seen, expected);
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.headers['authorization'], `Bearer ${bearer}`);
    assert.equal(JSON.parse(seen[0]?.body ?? '').note, "it's 100% $HOME");
  });

  it('makes one request per fan-out key, each value percent-encoded in the URL as the executor does', async () => {
    const { job, file } = loadJob(
      [
        'schedule: "0 2 * * *"',
        'for_each: { tenant: [acme, "big co/eu"] }',
        'http:',
        `  url: "${server.url}/tenants/{tenant}/sync"`,
        '  method: PUT',
        '  headers: { Content-Type: text/plain }',
        '  body: "sync {tenant}"',
      ].join('\n'),
    );
    const { lines } = commandLines(job, file);
    assert.equal(lines.length, 2);
    const expected = await executorRequests(job);
    seen = [];
    for (const line of lines) assert.equal(await runLine(line, {}), 0);
    assert.deepEqual(seen, expected);
    assert.equal(seen[1]?.url, '/tenants/big%20co%2Feu/sync');
  });

  it('sends a GET without a body, and fails the line when the answer is an error status', async () => {
    const { job, file } = loadJob(`schedule: "0 2 * * *"\nhttp: { url: "${server.url}/broken" }`);
    const { lines } = commandLines(job, file);
    seen = [];
    assert.notEqual(await runLine(lines[0] ?? '', {}), 0);
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.body, '');
  });

  it('warns where to set the secret and writes the request as curl instead of leaving the job out', () => {
    const { job, file } = loadJob(
      `schedule: "0 2 * * *"\nhttp: { url: "${server.url}/x", bearer: "${bearer}" }`,
    );
    const result = crontabExporter.exportJobs([job], { configPath: file });
    const warnings = result.warnings.map((w) => `${w.message} (${w.action})`).join('\n');
    assert.match(warnings, /read from \$CRON_SECRET \(.*environment cron runs with/);
    assert.match(warnings, /written as the curl command/);
    assert.doesNotMatch(warnings, /left out/);
  });

  it('names one variable per distinct secret: jobs sharing a bearer token share CRON_SECRET', () => {
    const { job: one, file } = loadJob(
      `schedule: "0 2 * * *"\nhttp: { url: "${server.url}/a", bearer: "same" }`,
      'one',
    );
    const { job: two } = loadJob(
      `schedule: "0 3 * * *"\nhttp: { url: "${server.url}/b", bearer: "same" }`,
      'two',
    );
    const { job: three } = loadJob(
      `schedule: "0 4 * * *"\nhttp: { url: "${server.url}/c", bearer: "other" }`,
      'three',
    );
    const text = crontabExporter.exportJobs([one, two, three], { configPath: file }).files[0]?.text ?? '';
    assert.deepEqual(
      [...text.matchAll(/"\$(\w+)"/g)].map((match) => match[1]),
      ['CRON_SECRET', 'CRON_SECRET', 'CRON_SECRET_2'],
    );
  });

  it("limits the request to the HTTP executor's 30 s with --max-time when the job gives no timeout", () => {
    const { job, file } = loadJob(`schedule: "0 2 * * *"\nhttp: { url: "${server.url}/x" }`);
    for (const each of [job, { ...job, timeoutMs: undefined }]) {
      const { lines } = commandLines(each, file);
      assert.match(lines[0] ?? '', / --max-time 30 /, lines[0]);
    }
  });

  it('warns that curl cannot check expect_body, and counts it among what the wrapper is for', () => {
    const { job, file } = loadJob(
      `schedule: "0 2 * * *"\nhttp: { url: "${server.url}/x", expect_body: [{ json: { path: $.status, equals: ok } }, { matches: "^up" }] }`,
    );
    const result = crontabExporter.exportJobs([job], { configPath: file });
    const warnings = result.warnings.map((w) => `${w.message} (${w.action})`).join('\n');
    assert.match(
      warnings,
      /expect_body \(\$\.status equals "ok"; body matches \/\^up\/\): curl cannot check the response body \(left out: any answer with a status below 400 counts as success/,
    );
    assert.match(warnings, /crontab cannot say response body checks \(expect_body\)/);
  });
});
