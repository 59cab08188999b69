import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { createCommandExecutor, createHttpExecutor, executionRequestFor } from '../../src/executors/index.ts';
import type { CommandSpec, ExecutionRequest, ExecutionResult, HttpSpec } from '../../src/executors/index.ts';
import { collect } from './helpers.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

// Every payload goes through every context on real processes and a real HTTP receiver. An
// injected command would create `marker`; a value must arrive as exactly one argument (or one
// header, query parameter, path segment, JSON string), byte for byte, or be refused clearly.

const dir = mkdtempSync(path.join(tmpdir(), 'cronplane-corpus-'));
const marker = path.join(dir, 'PWNED');
const touch = `touch ${marker}`;

const payloads: readonly string[] = [
  `$(${touch})`,
  `\`${touch}\``,
  `; ${touch}`,
  `&& ${touch}`,
  `|| ${touch}`,
  `| ${touch}`,
  `x\n${touch}`,
  `'; ${touch}; '`,
  `"; ${touch}; "`,
  `'"$(${touch})"'`,
  `"'\`${touch}\`'"`,
  `\\"; ${touch}; #`,
  '--option=value',
  '-rf',
  '../../etc/passwd',
  '..',
  '*',
  '/e?c/pass*',
  '~',
  '~root/x',
  '$HOME',
  `\${IFS}${touch.replaceAll(' ', '${IFS}')}`,
  `$((1+1))`,
  `a[$(${touch})]`,
  'spaces  and\ttabs ',
  'carriage\r\nreturn',
  `＄（${touch}）`,
  `；${touch}`,
  '%2F..%2F%0d%0aX-Injected: 1',
  '#not-a-comment',
  'a&b=c&d',
  '?x=1#frag',
  '{who} {run_id} ${who} {{who}}',
  `x\nEOF\n${touch}\nEOF`,
  '\\',
  '\\\\n\\$(id)',
  "'",
  '"',
  '',
  '🙂 emoji 🚀',
  '\u202eRTL override',
  '\x1b[31mred',
  `$'\\x3b${touch}'`,
  `!! !$ ^x^y`,
  'http://evil.example/@',
  'nul\0byte',
  `long-${'x&;$()'.repeat(20_000)}`,
];

/** What a context refuses instead of passing on. */
const holdsNul = (value: string) => value.includes('\0');
const holdsControl = (value: string) =>
  [...value].some((c) => (c.charCodeAt(0) < 0x20 && c !== '\t') || c === '\x7f');

let config: ResolvedJob[] = [];
let server: ReturnType<typeof createServer>;
let base = '';
const received = new Map<string, { url: string; headers: IncomingHttpHeaders; body: Buffer }>();
let runs = 0;

before(async () => {
  server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      const runId = String(req.headers['x-cronplane-run-id']);
      received.set(runId, { url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const record = path.join(dir, 'record.sh');
  writeFileSync(record, `#!/bin/sh\nprintf '%s\\0' "$@" > "$RECORD"\n`);
  chmodSync(record, 0o755);
  const file = path.join(dir, 'cronplane.yaml');
  const y = (text: string) => JSON.stringify(text);
  writeFileSync(
    file,
    `version: 1
defaults:
  env: { RECORD: ${y(`${dir}/{run_id}.args`)} }
jobs:
  argv: { params: { who: w }, run: [${y(record)}, "{who}"] }
  argv-option: { params: { who: w }, run: [${y(record)}, "--name={who}"] }
  sh-unquoted: { params: { who: w }, run: [sh, -c, ${y(`${record} {who}`)}] }
  sh-double: { params: { who: w }, run: [sh, -c, ${y(`${record} "hello {who}"`)}] }
  sh-single: { params: { who: w }, run: [/bin/sh, -ec, ${y(`${record} 'hello {who}'`)}] }
  sh-heredoc: { params: { who: w }, run: [sh, -c, ${y(`${record} "$(cat <<EOF\n{who}.\nEOF\n)"`)}] }
  bash-double: { params: { who: w }, run: [/bin/bash, -euc, ${y(`${record} "hello {who}"`)}] }
  bash-ansi-c: { params: { who: w }, run: [bash, -c, ${y(`${record} $'\\t{who}'`)}] }
  shell-line: { params: { who: w }, shell: true, run: ${y(`${record} {who} "hello {who}" '{who}'`)} }
  env: { params: { who: w }, env: { WHO: "{who}" }, run: [sh, -c, ${y(`${record} "$WHO"`)}] }
  url-path: { params: { who: w }, http: { url: ${y(`${base}/p/{who}/end`)} } }
  url-query: { params: { who: w }, http: { url: ${y(`${base}/q?who={who}&fixed=1`)} } }
  json-body: { params: { who: w }, http: { url: ${y(`${base}/b`)}, body: { who: "{who}", fixed: 1 } } }
  json-text-body:
    params: { who: w }
    http:
      url: ${y(`${base}/b`)}
      headers: { Content-Type: application/json }
      body: ${y('{"greeting": "hello {who}"}')}
  form-body:
    params: { who: w }
    http:
      url: ${y(`${base}/f`)}
      headers: { Content-Type: application/x-www-form-urlencoded }
      body: "who={who}&fixed=1"
  header: { params: { who: w }, http: { url: ${y(`${base}/h`)}, headers: { X-Who: "{who}" } } }
`,
  );
  config = [...readConfig(file, { kinds: builtinKinds, env: {} }).jobs];
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const commands = createCommandExecutor();
const http = createHttpExecutor();

function requestFor(name: string, who: string): ExecutionRequest {
  const job = config.find((entry) => entry.name === name);
  assert.ok(job, `job ${name}`);
  runs++;
  return executionRequestFor(job, {
    id: runs,
    attempt: 1,
    params: { who },
    fanKey: '',
    scheduledAt: Date.UTC(2026, 0, 1),
    dryRun: false,
  });
}

/** What a command received: its NUL-separated arguments. */
async function runCommand(name: string, who: string): Promise<{ result: ExecutionResult; args?: string[] }> {
  const request = requestFor(name, who) as ExecutionRequest<CommandSpec>;
  const result = await commands.execute(request, collect());
  const file = path.join(dir, `${request.runId}.args`);
  if (!existsSync(file)) return { result };
  const args = readFileSync(file, 'utf8').split('\0').slice(0, -1);
  rmSync(file);
  return { result, args };
}

async function sendRequest(name: string, who: string) {
  const request = requestFor(name, who) as ExecutionRequest<HttpSpec>;
  const result = await http.execute(request, collect());
  return { result, seen: received.get(request.runId) };
}

function label(value: string): string {
  const shown = JSON.stringify(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}…` : shown;
}

function assertNothingRan(context: string, value: string): void {
  const ran = existsSync(marker);
  rmSync(marker, { force: true }); // so that a later context reports its own result
  assert.equal(ran, false, `${context} ${label(value)}: an injected command ran`);
}

function assertRefused(result: ExecutionResult, pattern: RegExp, context: string, value: string): void {
  assert.equal(result.outcome, 'failure', `${context} ${label(value)} should be refused`);
  assert.match(result.error ?? '', pattern, `${context} ${label(value)}`);
}

/** Command contexts: the job, and the arguments it must receive for a value. */
const commandContexts: Record<string, (value: string) => string[]> = {
  argv: (value) => [value],
  'argv-option': (value) => [`--name=${value}`],
  'sh-unquoted': (value) => [value],
  'sh-double': (value) => [`hello ${value}`],
  'sh-single': (value) => [`hello ${value}`],
  'sh-heredoc': (value) => [`${value}.`],
  'bash-double': (value) => [`hello ${value}`],
  'bash-ansi-c': (value) => [`\t${value}`],
  'shell-line': (value) => [value, `hello ${value}`, value],
  env: (value) => [value],
};

describe('the injection corpus', () => {
  it(`has at least 30 payloads (${payloads.length})`, () => {
    assert.ok(payloads.length >= 30);
  });

  for (const [context, expected] of Object.entries(commandContexts)) {
    it(`${context}: every payload arrives as data in its one argument, and nothing runs`, async () => {
      for (const value of payloads) {
        const { result, args } = await runCommand(context, value);
        assertNothingRan(context, value);
        if (holdsNul(value)) {
          assertRefused(result, /NUL character/, context, value);
          assert.equal(args, undefined, `${context}: nothing started`);
          continue;
        }
        assert.equal(result.outcome, 'success', `${context} ${label(value)}: ${result.error ?? ''}`);
        assert.deepEqual(args, expected(value), `${context} ${label(value)}`);
      }
    });
  }

  it('URL path: a value stays inside its one segment, percent-encoded', async () => {
    for (const value of payloads) {
      const { result, seen } = await sendRequest('url-path', value);
      if (value === '..') {
        assertRefused(result, /path segment "\.\."/, 'url-path', value);
        continue;
      }
      assert.equal(result.outcome, 'success', `${label(value)}: ${result.error ?? ''}`);
      const [pathname, query] = (seen?.url ?? '').split('?');
      assert.equal(query, undefined, `${label(value)} added a query`);
      const segments = (pathname ?? '').split('/');
      assert.equal(segments.length, 4, `${label(value)}: ${seen?.url}`);
      assert.equal(segments[1], 'p');
      assert.equal(segments[3], 'end');
      assert.equal(decodeURIComponent(segments[2] ?? ''), value, label(value));
    }
  });

  it('URL query: a value stays the value of its one parameter', async () => {
    for (const value of payloads) {
      const { result, seen } = await sendRequest('url-query', value);
      assert.equal(result.outcome, 'success', `${label(value)}: ${result.error ?? ''}`);
      const url = new URL(seen?.url ?? '', base);
      assert.equal(url.pathname, '/q');
      assert.deepEqual([...url.searchParams.keys()], ['who', 'fixed'], label(value));
      assert.equal(url.searchParams.get('who'), value, label(value));
    }
  });

  for (const context of ['json-body', 'json-text-body'] as const) {
    it(`${context}: a value stays one JSON string, escaped`, async () => {
      for (const value of payloads) {
        const { result, seen } = await sendRequest(context, value);
        assert.equal(result.outcome, 'success', `${label(value)}: ${result.error ?? ''}`);
        const body: unknown = JSON.parse(seen?.body.toString('utf8') ?? '');
        assert.deepEqual(
          body,
          context === 'json-body' ? { who: value, fixed: 1 } : { greeting: `hello ${value}` },
          label(value),
        );
      }
    });
  }

  it('form body: a value stays the value of its one field, percent-encoded', async () => {
    for (const value of payloads) {
      const { result, seen } = await sendRequest('form-body', value);
      assert.equal(result.outcome, 'success', `${label(value)}: ${result.error ?? ''}`);
      const form = new URLSearchParams(seen?.body.toString('utf8'));
      assert.deepEqual([...form.keys()], ['who', 'fixed'], label(value));
      assert.equal(form.get('who'), value, label(value));
    }
  });

  it('header: a value stays in its one header as UTF-8; line breaks and controls are refused', async () => {
    for (const value of payloads) {
      const { result, seen } = await sendRequest('header', value);
      if (holdsControl(value)) {
        assertRefused(result, /header X-Who would hold a line break/, 'header', value);
        assert.equal(seen, undefined, `${label(value)}: nothing was sent`);
        continue;
      }
      assert.equal(result.outcome, 'success', `${label(value)}: ${result.error ?? ''}`);
      assert.equal(seen?.headers['x-injected'], undefined);
      const header = Buffer.from(String(seen?.headers['x-who'] ?? ''), 'latin1').toString('utf8');
      // HTTP drops a field value's leading and trailing spaces and tabs.
      assert.equal(header, value.replace(/^[ \t]+|[ \t]+$/g, ''), label(value));
    }
  });
});
