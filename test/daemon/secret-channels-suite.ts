/**
 * The grep test of issue 10: a real `cronplane start` with a job file holding every kind of
 * secret (secret-kinds.ts), real receivers on loopback for every channel, jobs that print all
 * the secrets and fail (a command, an HTTP job whose endpoint echoes its headers back, a module
 * whose error names them), and a monitor pinged with /fail and a body holding them. Then every
 * output channel is searched for every secret: the API's answers, the live log, the CLI from the
 * store and over the API, the daemon's own output, every notification and e-mail, and every row
 * of the database. A secret may appear in clear only at its credential: the request that needs it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StoreHarness } from '../support/store-harness.ts';
import { waitFor } from '../support/engine-harness.ts';
import { runCronplane, startDaemonProcess } from '../support/run-cronplane.ts';
import type { DaemonProcess } from '../support/run-cronplane.ts';
import { startHttpReceiver, startSmtpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver, RecordedRequest, SmtpReceiver } from '../notify/receivers.ts';
import type { Endpoints, SecretKind } from './secret-kinds.ts';
import { jobFileKinds, secretKinds, secretOf } from './secret-kinds.ts';

/** Text seen on one output channel. */
interface Seen {
  readonly where: string;
  readonly text: string;
}

const failingJobs = ['leaky-command', 'echoed-http', 'throwing-module'] as const;

export function defineSecretChannelsSuite(name: string, openHarness: () => Promise<StoreHarness>): void {
  describe(`secrets on every output channel (${name})`, () => {
    const kinds = secretKinds;
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-secrets-'));
    const file = path.join(folder, 'cronplane.yaml');
    let harness: StoreHarness;
    let http: HttpReceiver;
    let smtp: SmtpReceiver;
    let daemon: DaemonProcess | undefined;
    let env: Record<string, string>;
    const seen: Seen[] = [];
    const runIds: number[] = [];
    let recordedBefore = 0;
    const token = kinds.find((kind) => kind.use.kind === 'bootstrap-token')?.value ?? '';

    before(async () => {
      harness = await openHarness();
      http = await startHttpReceiver((_index, request) =>
        request.path === '/echo'
          ? // The job's endpoint answers 500 with everything it was sent, credentials included.
            { status: 500, body: `${JSON.stringify(request.headers)} ${request.body}` }
          : request.path === '/pd'
            ? { status: 202, body: '{"status":"success","dedup_key":"k"}' }
            : { status: 200, body: 'ok' },
      );
      const login = kinds.find((kind) => kind.credential.kind === 'smtp-login');
      smtp = await startSmtpReceiver(
        login === undefined ? {} : { auth: { user: 'mailer', pass: login.value } },
      );
      const at: Endpoints = { http: http.url, smtpPort: smtp.port };
      env = writeFiles(folder, file, kinds, at);
      recordedBefore = await recordHistory(harness, leakText(jobFileKinds(kinds), at));
      daemon = await startDaemonProcess(
        ['--config', file, '--store', harness.url, '--api-rate-limit', '100000', '--watch'],
        { cwd: folder, env },
      );
      const api = apiOf(daemon.server, token);
      for (const job of failingJobs) {
        const answer = (await api.post(`/api/jobs/${job}/trigger`, triggerBody(job, kinds))) as {
          runs: { id: number }[];
        };
        runIds.push(...answer.runs.map((run) => run.id));
      }
      const monitors = await api.text('/api/monitors');
      const pingUrl = /"pingUrl":"([^"]+)"/.exec(monitors)?.[1] ?? assert.fail(`no ping URL in ${monitors}`);
      const ping = await fetch(`${pingUrl}/fail`, {
        method: 'POST',
        body: leakText(jobFileKinds(kinds), at),
      });
      assert.equal(ping.status, 200);
      const runs = await waitFor(
        'the runs to end',
        async () => {
          const answers = await Promise.all(runIds.map((id) => api.json(`/api/runs/${id}`)));
          const found = answers.map(
            (answer) => (answer as { run: { status: string; finishedAt: string | null } }).run,
          );
          return found.every((run) => run.finishedAt !== null) && found;
        },
        30_000,
      );
      assert.deepEqual(
        runs.map((run) => run.status),
        failingJobs.map(() => 'failed'),
        JSON.stringify(runs),
      );
      // Three failed runs and the monitor going down: four notifications on every channel.
      const httpChannels = kinds.filter(
        (kind) => kind.use.kind === 'channel' && kind.credential.kind !== 'smtp-login',
      ).length;
      await waitFor(
        'every channel to hear of every incident',
        () =>
          (http.requests.filter((request) => request.path !== '/echo').length >= 4 * httpChannels &&
            smtp.messages.length >= 4) ||
          undefined,
        30_000,
      );
      seen.push(...(await apiAnswers(api, [...runIds, recordedBefore])));
      seen.push(...(await cliOutputs(file, harness.url, daemon.server, env, [...runIds, recordedBefore])));
      // An edit the daemon refuses: the problem it logs quotes the offending value, here the secrets.
      const edited = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(
        file,
        JSON.stringify({
          ...edited,
          timezone: jobFileKinds(kinds)
            .map((kind) => kind.value)
            .join(' '),
        }),
      );
      const running = daemon;
      await waitFor('the refused reload', () => running.output().includes('job file not reloaded'), 10_000);
      await daemon.stop();
      seen.push({ where: "the daemon's stdout and stderr", text: daemon.output() });
      seen.push(...(await databaseRows(harness, recordedBefore)));
    });

    after(async () => {
      await daemon?.stop();
      await http?.close();
      await smtp?.close();
      await harness?.close();
    });

    it('shows no secret on any output channel: API, live log, CLI, daemon output, database', () => {
      assert.ok(seen.length > 40, `every channel was read (${seen.length} texts)`);
      assert.deepEqual(leaksIn(seen, kinds), []);
      assert.ok(
        seen.some((entry) => entry.where.startsWith('cronplane logs') && entry.text.includes('***')),
        'the secrets the jobs printed are there, masked',
      );
    });

    it('sends notifications and e-mails with no secret in them, and each credential only where it is needed', () => {
      const texts: Seen[] = [];
      for (const request of http.requests) texts.push(outsideCredentials(request, kinds));
      for (const [index, mail] of smtp.messages.entries()) {
        texts.push({
          where: `e-mail ${index}`,
          text: `${JSON.stringify([...mail.headers])} ${mail.text} ${mail.html}`,
        });
      }
      assert.deepEqual(leaksIn(texts, kinds), []);
      assert.ok(
        texts.some((entry) => entry.where.includes('/services/') && entry.text.includes('***')),
        "a notification carries the run's output sample, masked",
      );
      for (const kind of kinds) assertDelivered(kind, http.requests, smtp);
    });
  });
}

/** The job file (JSON, which is YAML), its env file, the leak file and module; answers the daemon's environment. */
function writeFiles(
  folder: string,
  file: string,
  kinds: readonly SecretKind[],
  at: Endpoints,
): Record<string, string> {
  const env: Record<string, string> = {};
  const ref = (index: number): string => `\${SECRET_${index}}`;
  const channels: Record<string, unknown> = {};
  const leakyEnv: Record<string, unknown> = { LEAK_FILE: path.join(folder, 'leak-run.txt') };
  const leakyParams: Record<string, unknown> = {};
  const envFile: string[] = [];
  const http: Record<string, unknown> = { method: 'POST', url: `${at.http}/echo`, body: 'hello' };
  const headers: Record<string, unknown> = {};
  for (const [index, kind] of kinds.entries()) {
    const use = kind.use;
    const variable = (): string => {
      env[`SECRET_${index}`] = secretOf(kind, at);
      return ref(index);
    };
    switch (use.kind) {
      case 'env-literal':
        leakyEnv[use.name] = { secret: secretOf(kind, at) };
        break;
      case 'env-var':
        leakyEnv[use.name] = { secret: variable() };
        break;
      case 'env-file':
        envFile.push(`${use.name}=${secretOf(kind, at)}`);
        break;
      case 'http-bearer':
        http['bearer'] = variable();
        break;
      case 'http-header':
        headers[use.name] = { secret: variable() };
        break;
      case 'channel':
        channels[`c${index}`] = use.entry(variable(), at);
        break;
      case 'bootstrap-token':
        env['CRONPLANE_TOKEN'] = secretOf(kind, at);
        break;
      case 'trigger-param':
        leakyParams[use.name] = { type: 'string', pattern: '[A-Za-z0-9]{8,64}', secret: true };
        leakyEnv[`PARAM_${use.name}`] = `{${use.name}}`;
        break;
    }
  }
  const all = Object.keys(channels);
  const printEverything = 'cat "$LEAK_FILE"; cat "$LEAK_FILE" >&2; env | sort; exit 1';
  const jobFile = {
    version: 1,
    env_file: './secrets.env',
    // Each incident told on its own: the test counts four notifications per channel.
    alerts: { group_window: '0s' },
    channels,
    defaults: { notify: { failure: all } },
    jobs: {
      'leaky-command': { run: ['sh', '-c', printEverything], env: leakyEnv, params: leakyParams },
      'echoed-http': { http: { ...http, headers } },
      'throwing-module': { module: { path: './throwing.mjs' } },
    },
    monitors: { external: { schedule: '0 3 * * *', grace: '1h', notify: { down: all } } },
  };
  writeFileSync(file, JSON.stringify(jobFile, null, 2));
  writeFileSync(path.join(folder, 'secrets.env'), `${envFile.join('\n')}\n`);
  writeFileSync(path.join(folder, 'leak.txt'), leakText(jobFileKinds(kinds), at));
  writeFileSync(path.join(folder, 'leak-run.txt'), leakText(kinds, at));
  writeFileSync(
    path.join(folder, 'throwing.mjs'),
    `import { readFileSync } from 'node:fs';
export default async function (context) {
  const leak = readFileSync(new URL('./leak.txt', import.meta.url), 'utf8');
  context.log('the module sees: ' + leak);
  throw new Error('could not log in with ' + leak.split('\\n').join(' '));
}
`,
  );
  return env;
}

/** The trigger's body: the leaking command job gets its secret parameters. */
function triggerBody(job: string, kinds: readonly SecretKind[]): unknown {
  if (job !== 'leaky-command') return {};
  const params: Record<string, string> = {};
  for (const kind of kinds) if (kind.use.kind === 'trigger-param') params[kind.use.name] = kind.value;
  return { params };
}

/** Every secret as the job file holds it, one a line: what the jobs print and the ping sends. */
function leakText(kinds: readonly SecretKind[], at: Endpoints): string {
  return `${kinds.map((kind) => `${kind.name}: ${secretOf(kind, at)}`).join('\n')}\n`;
}

interface Api {
  text(url: string): Promise<string>;
  json(url: string): Promise<unknown>;
  post(url: string, body: unknown): Promise<unknown>;
}

function apiOf(server: string, token: string): Api {
  const headers = { authorization: `Bearer ${token}` };
  const text = async (url: string): Promise<string> => {
    const response = await fetch(`${server}${url}`, { headers });
    assert.equal(response.status, 200, `GET ${url}`);
    return response.text();
  };
  return {
    text,
    json: async (url) => JSON.parse(await text(url)) as unknown,
    post: async (url, body) => {
      const response = await fetch(`${server}${url}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = await response.text();
      assert.ok(response.ok, `POST ${url}: ${response.status} ${answer}`);
      return JSON.parse(answer) as unknown;
    },
  };
}

async function apiAnswers(api: Api, runIds: readonly number[]): Promise<Seen[]> {
  const urls = [
    '/api/runs',
    '/api/events',
    '/api/jobs',
    ...failingJobs.map((job) => `/api/jobs/${job}`),
    '/api/monitors',
    '/api/monitors/external',
    '/api/monitors/external/pings',
    '/api/audit',
    '/metrics',
    '/readyz',
    '/healthz',
    ...runIds.flatMap((id) => [`/api/runs/${id}`, `/api/runs/${id}/logs`, `/api/runs/${id}/logs/stream`]),
  ];
  const events = (await api.json('/api/events')) as { events: { id: number }[] };
  urls.push(...events.events.map((event) => `/api/events/${event.id}`));
  return Promise.all(urls.map(async (url) => ({ where: `GET ${url}`, text: await api.text(url) })));
}

async function cliOutputs(
  file: string,
  store: string,
  server: string,
  env: Record<string, string>,
  runIds: readonly number[],
): Promise<Seen[]> {
  const commands = [
    ['runs'],
    ['runs', '--json'],
    ['events'],
    ['events', '--json'],
    ...runIds.map((id) => ['logs', String(id)]),
  ];
  const seen: Seen[] = [];
  for (const command of commands) {
    for (const [how, extra] of [
      ['from the store', ['--config', file, '--store', store]],
      ['over the API', ['--server', server]],
    ] as const) {
      const result = await runCronplane([...command, ...extra], { env });
      assert.equal(result.code, 0, `cronplane ${command.join(' ')} ${how}: ${result.stderr}`);
      seen.push({
        where: `cronplane ${command.join(' ')} ${how}`,
        text: `${result.stdout}\n${result.stderr}`,
      });
    }
  }
  return seen;
}

/**
 * A run recorded before the job file declared these secrets (by an older version, or before a
 * secret was rotated into the file): its output, error and parameters hold them in clear. Every
 * reader (the API, the CLI on the store) must mask it with the job file in force.
 */
async function recordHistory(harness: StoreHarness, leak: string): Promise<number> {
  const store = await harness.open();
  try {
    const at = Date.now() - 60_000;
    const inserted = await store.insertRuns([
      {
        job: 'leaky-command',
        trigger: 'manual',
        scheduledAt: at,
        queuedAt: at,
        status: 'skipped',
        error: leak,
        params: { note: leak },
      },
    ]);
    const id = inserted.inserted[0]?.id ?? assert.fail('the run was not recorded');
    await store.appendLog(id, { stream: 'stdout', chunk: leak, at });
    return id;
  } finally {
    await store.release();
  }
}

/** Every row of every table, as JSON, but those of the run recorded before (they hold the secrets by design). */
async function databaseRows(harness: StoreHarness, recordedBefore: number): Promise<Seen[]> {
  const tables =
    harness.dialect === 'sqlite'
      ? await harness.query<{ name: string }>(
          harness.url,
          "SELECT name FROM sqlite_master WHERE type = 'table'",
        )
      : await harness.query<{ name: string }>(
          harness.url,
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
        );
  assert.ok(tables.some((table) => table.name === 'run_logs'));
  return Promise.all(
    tables.map(async ({ name }) => {
      const rows = await harness.query<Record<string, unknown>>(harness.url, `SELECT * FROM ${name}`);
      const kept = rows.filter((row) =>
        name === 'runs' ? Number(row['id']) !== recordedBefore : Number(row['run_id']) !== recordedBefore,
      );
      return { where: `the database table ${name}`, text: JSON.stringify(kept) };
    }),
  );
}

function leaksIn(seen: readonly Seen[], kinds: readonly SecretKind[]): string[] {
  const leaks: string[] = [];
  for (const { where, text } of seen) {
    for (const kind of kinds) {
      if (text.includes(kind.value)) leaks.push(`${where} shows the ${kind.name}`);
    }
  }
  return leaks;
}

/**
 * What a receiver got, without the credentials it must get (its own path, the header or body
 * field that carries one to its own endpoint): the rest is grepped.
 */
function outsideCredentials(request: RecordedRequest, kinds: readonly SecretKind[]): Seen {
  const headers: Record<string, unknown> = { ...request.headers };
  let body = request.body;
  for (const kind of kinds) {
    const credential = kind.credential;
    if (credential.kind === 'header' && request.path === credential.path) {
      assert.equal(
        headers[credential.header],
        credential.sent(kind.value),
        `${kind.name} reaches ${credential.path}`,
      );
      delete headers[credential.header];
    }
    if (credential.kind === 'json-field' && request.path === credential.path) {
      const fields = JSON.parse(body) as Record<string, unknown>;
      assert.equal(fields[credential.field], kind.value, `${kind.name} is in its own payload`);
      delete fields[credential.field];
      body = JSON.stringify(fields);
    }
    if (request.path.includes(kind.value)) {
      assert.equal(
        credential.kind === 'path' ? credential.path : undefined,
        request.path,
        `${kind.name} in a path`,
      );
    }
  }
  return {
    where: `${request.method} ${request.path.replace(/S3cr3t[\w-]*/g, '<its secret>')}`,
    text: `${JSON.stringify(headers)} ${body}`,
  };
}

/** Each credential reached the one place that needs it. */
function assertDelivered(kind: SecretKind, requests: readonly RecordedRequest[], smtp: SmtpReceiver): void {
  const credential = kind.credential;
  switch (credential.kind) {
    case 'path':
      assert.ok(
        requests.some((request) => request.path === credential.path),
        `${kind.name}: a notification went to its URL`,
      );
      return;
    case 'header':
    case 'json-field':
      assert.ok(
        requests.some((request) => request.path === credential.path),
        `${kind.name}: sent to ${credential.path}`,
      );
      return;
    case 'smtp-login':
      assert.ok(smtp.messages.length > 0, 'mail was sent');
      assert.ok(
        smtp.messages.every((mail) => mail.user === credential.user),
        `${kind.name}: every mail logged in with it`,
      );
      return;
    case 'nowhere':
    case 'api-token':
      return;
  }
}
