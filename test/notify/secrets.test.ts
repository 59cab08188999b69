import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import type { Channel, DeliveryReport } from '../../src/notify/index.ts';
import { createOutbox, deliver, describeChannel } from '../../src/notify/index.ts';
import { channel, criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { closedPort, startHttpReceiver } from './receivers.ts';

/** Every secret the channels below hold; none may show up in a report, a log line or a description. */
const secrets = [
  'slack-secret-path-123',
  'discord-secret-path-456',
  'pd-routing-key-789',
  'smtp-password-321',
  'hook-query-token-654',
  'hmac-signing-key-987',
  'header-bearer-token-111',
  'ntfy-secret-topic-222',
  'ntfy-access-token-333',
];

function assertNoSecret(text: string, where: string): void {
  for (const secret of secrets)
    assert.ok(!text.includes(secret), `${where} shows the secret ${secret}:\n${text}`);
}

describe('secrets in channel settings', () => {
  let echo: HttpReceiver;
  let unreachable: number;
  before(async () => {
    // A receiver that answers 500 with everything it was sent: path, query, headers and body.
    echo = await startHttpReceiver((_index, request) => ({
      status: 500,
      body: `${request.path} ${JSON.stringify(request.headers)} ${request.body}`,
    }));
    unreachable = await closedPort();
  });
  after(() => echo.close());

  const channelsAt = (base: string): Channel[] => [
    channel('slack', { slack: { webhook_url: `${base}/services/T0/B0/slack-secret-path-123` } }),
    channel('discord', { discord: { webhook_url: `${base}/api/webhooks/1/discord-secret-path-456` } }),
    channel('pager', { pagerduty: { routing_key: 'pd-routing-key-789', url: `${base}/v2/enqueue` } }),
    channel('hook', {
      webhook: {
        url: `${base}/hook?token=hook-query-token-654`,
        secret: 'hmac-signing-key-987',
        headers: { Authorization: { secret: 'Bearer header-bearer-token-111' } },
      },
    }),
    channel('phone', { ntfy: { topic: 'ntfy-secret-topic-222', token: 'ntfy-access-token-333', url: base } }),
  ];

  it('are masked in delivery reports when a receiver echoes them back in its error answer', async () => {
    for (const target of channelsAt(echo.url)) {
      const report = await deliver(criticalRun, target, testOptions({ policy: { attempts: 2 } }));
      assert.equal(report.outcome, 'failed', target.name);
      assert.match(report.attempts[0]?.error ?? '', /HTTP 500/);
      assert.match(
        report.attempts[0]?.error ?? '',
        /\*\*\*/,
        `${target.name}: the echo is masked, not dropped`,
      );
      assertNoSecret(JSON.stringify(report), `the ${target.name} report`);
    }
  });

  it('are masked in reports and outbox log lines when the channel cannot be reached', async () => {
    const targets = [
      ...channelsAt(`http://127.0.0.1:${unreachable}`),
      channel('mail', {
        email: {
          to: 'ops@example.com',
          smtp_url: `smtp://mailer:smtp-password-321@127.0.0.1:${unreachable}`,
        },
      }),
    ];
    const reports: DeliveryReport[] = [];
    const lines: string[] = [];
    const outbox = createOutbox({
      ...testOptions({ policy: { attempts: 2 } }),
      channels: new Map(targets.map((target) => [target.name, target])),
      onReport: (report) => {
        reports.push(report);
      },
      logger: {
        warn: (details, message) => lines.push(`${message} ${JSON.stringify(details)}`),
        error: (details, message) => lines.push(`${message} ${JSON.stringify(details)}`),
      },
    });
    outbox.enqueue(
      criticalRun,
      targets.map((target) => target.name),
    );
    await outbox.drain();
    await outbox.release();
    assert.equal(reports.length, targets.length);
    assert.ok(reports.every((report) => report.outcome === 'failed'));
    assert.equal(lines.length, targets.length);
    assertNoSecret(JSON.stringify(reports), 'the reports');
    assertNoSecret(lines.join('\n'), 'the log lines');
  });

  it('never show in a description of the channel or in util.inspect of its settings', () => {
    const targets = [
      ...channelsAt('https://hooks.example.com'),
      channel('mail', {
        email: { to: 'ops@example.com', smtp_url: 'smtp://mailer:smtp-password-321@mail.example.com:587' },
      }),
    ];
    const described = targets.map(describeChannel).join('\n');
    assertNoSecret(described, 'describeChannel');
    assert.match(described, /email to ops@example\.com, smtp:\/\/mail\.example\.com:587/);
    const inspected = targets
      .filter((target) => target.kind !== 'webhook')
      .map((target) => inspect(target, { depth: 5 }));
    assertNoSecret(inspected.join('\n'), 'util.inspect');
  });
});
