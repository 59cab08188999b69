import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { runNotifyTest } from '../../src/cli/commands/notify-test.ts';
import { fixedNow, recordingSleep } from './fixtures.ts';
import type { HttpReceiver, SmtpReceiver } from './receivers.ts';
import { startHttpReceiver, startSmtpReceiver } from './receivers.ts';

function captureIo(
  cwd: string,
  env: Record<string, string> = {},
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env,
    cwd,
    isTty: false,
  };
}

describe('cronplane notify test CHANNEL', () => {
  let receiver: HttpReceiver;
  let broken: HttpReceiver;
  let smtp: SmtpReceiver;
  let folder: string;
  let config: string;
  const env = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/slack-webhook-secret' };

  before(async () => {
    receiver = await startHttpReceiver();
    broken = await startHttpReceiver(() => ({ status: 500, body: 'internal error' }));
    smtp = await startSmtpReceiver();
    folder = mkdtempSync(path.join(tmpdir(), 'cronplane-notify-'));
    config = path.join(folder, 'cronplane.yaml');
    writeFileSync(
      config,
      `version: 1
server: { public_url: "https://cron.example.com" }
channels:
  ops: { slack: { webhook_url: "\${SLACK_WEBHOOK_URL}", url: "${receiver.url}/slack" } }
  mail: { email: { to: ops@example.com, smtp_url: "smtp://127.0.0.1:${smtp.port}", subject_prefix: "[cron]" } }
  down: { webhook: { url: "${broken.url}/hook" } }
jobs:
  hello: { schedule: "every 1m", run: echo hello, notify: { failure: [ops] } }
`,
    );
  });
  after(async () => {
    await receiver.close();
    await broken.close();
    await smtp.close();
  });

  it('sends a test message to a Slack channel and exits 0', async () => {
    const io = captureIo(folder, env);
    const code = await runNotifyTest('ops', { config }, io, { now: () => fixedNow });
    assert.equal(code, 0, io.stderr.join('\n'));
    assert.equal(
      io.stdout[0],
      'sending a test notification to "ops" (slack, http://127.0.0.1:' + receiver.url.split(':')[2] + ')',
    );
    assert.match(io.stdout[1] ?? '', /^ {2}attempt 1: delivered \(200\) in \d+ ms$/);
    assert.equal(io.stdout[2], 'ok: "ops" took the test notification');
    const body = receiver.json(0) as {
      text: string;
      blocks: { type: string; elements?: { url?: string }[] }[];
    };
    assert.match(body.text, /^:wave: \[TEST\] Test notification for channel "ops"/);
    assert.equal(
      body.blocks.find((block) => block.type === 'actions')?.elements?.[0]?.url,
      'https://cron.example.com',
    );
    assert.doesNotMatch([...io.stdout, ...io.stderr].join('\n'), /slack-webhook-secret/);
  });

  it('sends a test e-mail', async () => {
    const io = captureIo(folder, env);
    const code = await runNotifyTest('mail', { config }, io, { now: () => fixedNow });
    assert.equal(code, 0, io.stderr.join('\n'));
    assert.match(
      io.stdout[0] ?? '',
      /^sending a test notification to "mail" \(email to ops@example\.com, smtp:\/\/127\.0\.0\.1:\d+\)$/,
    );
    assert.equal(
      smtp.messages.at(-1)?.headers.get('subject'),
      '[cron] [TEST] Test notification for channel "mail"',
    );
  });

  it('prints each failed attempt and exits 1 when the channel does not take it', async () => {
    const io = captureIo(folder, env);
    const { sleep, waits } = recordingSleep();
    const code = await runNotifyTest('down', { config, attempts: 3 }, io, {
      now: () => fixedNow,
      sleep,
      random: () => 0,
    });
    assert.equal(code, 1);
    assert.deepEqual(waits, [1_000, 2_000]);
    assert.deepEqual(
      io.stdout.slice(1).map((line) => line.replace(/in \d+ ms/, 'in N ms')),
      [1, 2, 3].map(
        (attempt) =>
          `  attempt ${attempt}: failed in N ms: POST ${broken.url} answered HTTP 500: internal error`,
      ),
    );
    assert.equal(
      io.stderr[0],
      `error: the test notification did not reach "down": gave up after 3 attempts: POST ${broken.url} answered HTTP 500: internal error`,
    );
  });

  it('names the declared channels and exits 2 for an unknown channel', async () => {
    const io = captureIo(folder, env);
    const code = await runNotifyTest('pager', { config }, io);
    assert.equal(code, 2);
    assert.deepEqual(io.stderr, ['error: no channel named "pager"; the job file declares: ops, mail, down']);
    assert.deepEqual(io.stdout, []);
  });

  it('exits 2 with the located problem when the job file is broken', async () => {
    const io = captureIo(folder, {});
    const code = await runNotifyTest('ops', { config }, io);
    assert.equal(code, 2);
    assert.match(
      io.stderr[0] ?? '',
      /cronplane\.yaml:4:\d+: channels\.ops\.slack\.webhook_url: environment variable SLACK_WEBHOOK_URL is not set/,
    );
  });
});
