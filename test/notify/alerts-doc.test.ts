import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import type { Channel } from '../../src/notify/index.ts';
import { channelKinds, channelsOf, deliver, verifyWebhookSignature } from '../../src/notify/index.ts';
import { alertSamples } from './alert-samples.ts';
import { channel, criticalRecovered, criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver, SmtpReceiver } from './receivers.ts';
import { startHttpReceiver, startSmtpReceiver } from './receivers.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import type { MarkedBlock } from '../support/marked-blocks.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

/**
 * Keeps docs/alerts.md honest: every YAML block after `<!-- test: valid -->` is a job file that
 * must validate, together they declare every channel kind, and every block after
 * `<!-- sample: NAME -->` is exactly what that channel sent to a loopback receiver for the
 * page's example run (seed 001's drift-review, exit code 1, critical).
 */

const root = path.resolve(import.meta.dirname, '../..');
const markdown = readFileSync(path.join(root, 'docs/alerts.md'), 'utf8');
const docEnv: Record<string, string> = {
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
  PAGERDUTY_ROUTING_KEY: '0123456789abcdef0123456789abcdef',
  SMTP_URL: 'smtp://mailer:password@mail.example.com:587',
  WEBHOOK_SIGNING_KEY: 'whsec-example-key',
  HOOK_TOKEN: 'hook-token',
  DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/x',
  TEAMS_WEBHOOK_URL: 'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual?sig=x',
  NTFY_TOPIC: 'cron-alerts-9f8e7d',
  NTFY_TOKEN: 'tk_example',
};
const deliveryId = '7d0c8a52-3f5e-4d8e-9a47-1c2b3d4e5f60';

const blocks = markedBlocks(markdown);
// `sample: run-NAME` blocks are what real runs sent: test/alerts/alerts-doc-runs.test.ts checks them.
const samples = new Map(
  blocks
    .filter((block) => block.marker?.startsWith('sample: ') && !block.marker.startsWith('sample: run-'))
    .map((block) => [block.marker?.slice(8) ?? '', block]),
);

function sample(name: string): MarkedBlock {
  const block = samples.get(name);
  assert.ok(block, `docs/alerts.md has no <!-- sample: ${name} --> block`);
  return block;
}

describe('docs/alerts.md', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-alerts-doc-'));
  const validBlocks = blocks.filter((block) => block.marker === 'test: valid');

  it('has example job files, and every one validates', () => {
    assert.ok(validBlocks.length >= 6);
    for (const block of validBlocks) {
      const file = path.join(folder, `alerts-${block.line}.yaml`);
      writeFileSync(file, block.text);
      assert.doesNotThrow(
        () => readConfig(file, { kinds: builtinKinds, env: docEnv }),
        `docs/alerts.md:${block.line}`,
      );
    }
  });

  it('shows a configuration for every channel kind', () => {
    const kinds = new Set<string>();
    for (const block of validBlocks) {
      const file = path.join(folder, `kinds-${block.line}.yaml`);
      writeFileSync(file, block.text);
      const config = readConfig(file, { kinds: builtinKinds, env: docEnv });
      for (const target of channelsOf(config.channels).values()) kinds.add(target.kind);
    }
    assert.deepEqual([...kinds].sort(), channelKinds.map((kind) => kind.kind).sort());
  });

  describe("samples are what the channels' message builders make", () => {
    const built = alertSamples();
    const trimmed = (text: string) =>
      text
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')
        .trimEnd();

    for (const [name, value] of Object.entries(built.json)) {
      it(`shows the ${name} sample as its builder makes it`, () => {
        assert.deepEqual(JSON.parse(sample(name).text), value, `docs/alerts.md:${sample(name).line}`);
      });
    }

    it('shows the webhook request as webhookBody and signWebhook make it', () => {
      assert.equal(sample('webhook').text.trimEnd(), built.webhook);
    });

    it('shows the e-mail subject and body as emailMessage makes them', () => {
      assert.equal(trimmed(sample('email').text), trimmed(built.email));
    });

    it('has a sample for every channel kind, and no sample the builders do not make', () => {
      const names = [...samples.keys()].sort();
      assert.deepEqual(names, [...Object.keys(built.json), 'webhook', 'email'].sort());
    });

    it('notices a sample that drifts from its builder', () => {
      const drifted = JSON.parse(sample('slack').text) as { text: string };
      drifted.text = drifted.text.replace('CRITICAL', 'FAILURE');
      assert.notDeepEqual(drifted, built.json['slack']);
    });
  });

  describe('samples are what the channels send', () => {
    let receiver: HttpReceiver;
    let smtp: SmtpReceiver;
    before(async () => {
      receiver = await startHttpReceiver(() => ({ status: 202 }));
      smtp = await startSmtpReceiver();
    });
    after(async () => {
      await receiver.close();
      await smtp.close();
    });

    async function sent(target: Channel, notification = criticalRun) {
      const before = receiver.requests.length;
      const report = await deliver(notification, target, testOptions({ deliveryId }));
      assert.equal(report.outcome, 'delivered', JSON.stringify(report));
      const request = receiver.requests[before];
      assert.ok(request);
      return request;
    }

    const jsonSamples: [string, () => Channel, typeof criticalRun][] = [
      [
        'slack',
        () =>
          channel('ops', {
            slack: { webhook_url: docEnv['SLACK_WEBHOOK_URL'], url: receiver.url, channel: '#ops' },
          }),
        criticalRun,
      ],
      [
        'pagerduty-trigger',
        () =>
          channel('pager', {
            pagerduty: { routing_key: docEnv['PAGERDUTY_ROUTING_KEY'], url: receiver.url },
          }),
        criticalRun,
      ],
      [
        'pagerduty-resolve',
        () =>
          channel('pager', {
            pagerduty: { routing_key: docEnv['PAGERDUTY_ROUTING_KEY'], url: receiver.url },
          }),
        criticalRecovered,
      ],
      [
        'discord',
        () => channel('chat', { discord: { webhook_url: docEnv['DISCORD_WEBHOOK_URL'], url: receiver.url } }),
        criticalRun,
      ],
      [
        'teams',
        () => channel('team', { teams: { webhook_url: docEnv['TEAMS_WEBHOOK_URL'], url: receiver.url } }),
        criticalRun,
      ],
      [
        'ntfy',
        () => channel('phone', { ntfy: { topic: docEnv['NTFY_TOPIC'], url: receiver.url } }),
        criticalRun,
      ],
    ];
    for (const [name, target, notification] of jsonSamples) {
      it(`shows the ${name} body exactly`, async () => {
        const request = await sent(target(), notification);
        assert.deepEqual(
          JSON.parse(sample(name).text),
          JSON.parse(request.body),
          `docs/alerts.md:${sample(name).line}`,
        );
      });
    }

    it('shows the webhook request exactly, headers and raw body, with a signature a receiver accepts', async () => {
      const request = await sent(
        channel('audit', { webhook: { url: `${receiver.url}/cron`, secret: docEnv['WEBHOOK_SIGNING_KEY'] } }),
      );
      const [head = '', body = ''] = sample('webhook').text.split('\n\n');
      const [requestLine, ...headerLines] = head.split('\n');
      assert.equal(requestLine, `POST ${request.path} HTTP/1.1`);
      for (const line of headerLines) {
        const [name = '', value] = line.split(': ');
        assert.equal(value, request.headers[name.toLowerCase()], `the ${name} header`);
      }
      assert.equal(body.trimEnd(), request.body);
      const timestamp = String(request.headers['x-cronplane-timestamp']);
      assert.ok(
        verifyWebhookSignature({
          secret: docEnv['WEBHOOK_SIGNING_KEY'] ?? '',
          body: body.trimEnd(),
          timestamp,
          signature: headerLines.find((line) => line.startsWith('X-Cronplane-Signature: '))?.slice(23),
          now: Number(timestamp) * 1000,
        }),
      );
    });

    it('shows the e-mail subject and plain-text body exactly', async () => {
      const report = await deliver(
        criticalRun,
        channel('mail', { email: { to: 'ops@example.com', smtp_url: `smtp://127.0.0.1:${smtp.port}` } }),
        testOptions(),
      );
      assert.equal(report.outcome, 'delivered');
      const message = smtp.messages.at(-1);
      const trimmed = (text: string) =>
        text
          .split('\n')
          .map((line) => line.trimEnd())
          .join('\n')
          .trimEnd();
      assert.equal(
        trimmed(sample('email').text),
        trimmed(`Subject: ${message?.headers.get('subject') ?? ''}\n\n${message?.text ?? ''}`),
      );
    });
  });
});
