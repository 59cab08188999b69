import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { deliver } from '../../src/notify/index.ts';
import { channel, criticalRecovered, criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

describe('Discord and ntfy', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver(() => ({ status: 204 }));
  });
  beforeEach(() => {
    receiver.requests.length = 0;
  });
  after(() => receiver.close());

  it('posts a Discord embed with the run link, a red colour and fields, mentioning nobody', async () => {
    const report = await deliver(
      criticalRun,
      channel('chat', {
        discord: { webhook_url: 'https://discord.com/api/webhooks/1/abc', url: `${receiver.url}/discord` },
      }),
      testOptions(),
    );
    assert.equal(report.outcome, 'delivered');
    const body = receiver.json(0) as {
      content: string;
      allowed_mentions: unknown;
      embeds: {
        title: string;
        url: string;
        color: number;
        description: string;
        fields: { name: string; value: string }[];
      }[];
    };
    assert.equal(body.content, '[CRITICAL] drift-review failed: exit code 1 (critical)');
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.equal(body.embeds[0]?.url, 'https://cron.example.com/runs/4211');
    assert.equal(body.embeds[0]?.color, 0x992d22);
    assert.match(body.embeds[0]?.description ?? '', /^```\nTraceback/);
    assert.deepEqual(
      body.embeds[0]?.fields.slice(0, 4).map((field) => `${field.name}=${field.value}`),
      ['Job=drift-review', 'Status=CRITICAL', 'Run=4211', 'exit_code=1'],
    );
  });

  it('publishes to ntfy with priority 5 for critical, the click link and the access token', async () => {
    const ntfy = channel('phone', {
      ntfy: { topic: 'cron-alerts-9f8e7d', url: receiver.url, token: 'tk_secret_token' },
    });
    await deliver(criticalRun, ntfy, testOptions());
    await deliver(criticalRecovered, ntfy, testOptions());
    assert.equal(receiver.requests[0]?.headers.authorization, 'Bearer tk_secret_token');
    assert.deepEqual(receiver.json(0), {
      topic: 'cron-alerts-9f8e7d',
      title: '[CRITICAL] drift-review failed: exit code 1 (critical)',
      message: `${criticalRun.summary}\nexit_code: 1\nattempt: 1\nduration: 4m 12s`,
      priority: 5,
      tags: ['rotating_light', 'drift-review'],
      click: 'https://cron.example.com/runs/4211',
    });
    assert.deepEqual((receiver.json(1) as { priority: number; tags: string[] }).tags, [
      'white_check_mark',
      'drift-review',
    ]);
  });
});
