import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { deliver, signWebhook, verifyWebhookSignature, webhookHeaders } from '../../src/notify/index.ts';
import { channel, criticalRun, fixedNow, testOptions } from './fixtures.ts';
import type { Answer, HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

const signingKey = 'whsec-test-signing-key';

describe('signed webhook', () => {
  let receiver: HttpReceiver;
  let answers: Answer[] = [];
  before(async () => {
    receiver = await startHttpReceiver((index) => answers[index] ?? { status: 204 });
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    answers = [];
  });
  after(() => receiver.close());
  const hook = (extra: object = {}) =>
    channel('hook', {
      webhook: { url: `${receiver.url}/hooks/cron?token=abc123`, secret: signingKey, ...extra },
    });

  it('posts the notification as JSON with an HMAC-SHA256 signature of timestamp and raw body', async () => {
    const report = await deliver(criticalRun, hook(), testOptions());
    assert.equal(report.outcome, 'delivered');
    const request = receiver.requests[0];
    assert.equal(request?.path, '/hooks/cron?token=abc123');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers[webhookHeaders.kind], 'trigger');
    assert.equal(request?.headers[webhookHeaders.timestamp], String(fixedNow / 1000));
    assert.equal(request?.headers[webhookHeaders.delivery], report.deliveryId);
    const expected = createHmac('sha256', signingKey)
      .update(`${fixedNow / 1000}.${request?.body ?? ''}`)
      .digest('hex');
    assert.equal(request?.headers[webhookHeaders.signature], `sha256=${expected}`);
    assert.deepEqual(JSON.parse(request?.body ?? ''), {
      version: 1,
      kind: 'trigger',
      dedup_key: 'cronplane:drift-review:critical',
      severity: 'critical',
      title: 'drift-review failed: exit code 1 (critical)',
      summary: criticalRun.summary,
      job: 'drift-review',
      run_id: 4211,
      event: 'critical',
      details: { exit_code: 1, attempt: 1, duration: '4m 12s' },
      link: 'https://cron.example.com/runs/4211',
    });
  });

  it('lets a receiver verify the signature, and refuses a changed body, a wrong key or an old timestamp', async () => {
    await deliver(criticalRun, hook(), testOptions());
    const request = receiver.requests[0];
    const check = {
      secret: signingKey,
      body: request?.body ?? '',
      timestamp: request?.headers[webhookHeaders.timestamp] as string | undefined,
      signature: request?.headers[webhookHeaders.signature] as string | undefined,
      now: fixedNow + 1_000,
    };
    assert.equal(verifyWebhookSignature(check), true);
    assert.equal(verifyWebhookSignature({ ...check, body: check.body.replace('critical', 'info') }), false);
    assert.equal(verifyWebhookSignature({ ...check, secret: 'another-key' }), false);
    assert.equal(verifyWebhookSignature({ ...check, now: fixedNow + 10 * 60_000 }), false);
    assert.equal(verifyWebhookSignature({ ...check, signature: undefined }), false);
  });

  it('sends the custom headers, secret ones revealed only on the wire, and keeps its own headers over them', async () => {
    const report = await deliver(
      criticalRun,
      hook({
        headers: {
          'X-Team': 'ml-platform',
          Authorization: { secret: 'Bearer hook-token-777' },
          'X-Cronplane-Kind': 'forged',
        },
      }),
      testOptions(),
    );
    const request = receiver.requests[0];
    assert.equal(request?.headers['x-team'], 'ml-platform');
    assert.equal(request?.headers['authorization'], 'Bearer hook-token-777');
    assert.equal(request?.headers[webhookHeaders.kind], 'trigger');
    assert.doesNotMatch(JSON.stringify(report), /hook-token-777/);
  });

  it('sends no signature header when the channel has no secret', async () => {
    await deliver(criticalRun, channel('hook', { webhook: { url: receiver.url } }), testOptions());
    assert.equal(receiver.requests[0]?.headers[webhookHeaders.signature], undefined);
  });

  it('keeps the delivery id across retries and signs each attempt with its own timestamp', async () => {
    answers = [{ status: 503 }];
    let clock = fixedNow;
    const report = await deliver(criticalRun, hook(), testOptions({ now: () => (clock += 1_000) }));
    assert.equal(report.outcome, 'delivered');
    const [first, second] = receiver.requests;
    assert.equal(first?.headers[webhookHeaders.delivery], second?.headers[webhookHeaders.delivery]);
    assert.notEqual(first?.headers[webhookHeaders.timestamp], second?.headers[webhookHeaders.timestamp]);
    for (const request of [first, second]) {
      const timestamp = String(request?.headers[webhookHeaders.timestamp]);
      assert.equal(
        request?.headers[webhookHeaders.signature],
        signWebhook(signingKey, timestamp, request?.body ?? ''),
      );
    }
  });
});
