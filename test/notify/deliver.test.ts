import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultDeliveryPolicy, deliver, retryDelay } from '../../src/notify/index.ts';
import { channel, criticalRun, fixedNow, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { closedPort, startHttpReceiver } from './receivers.ts';

describe('deliver', () => {
  let flaky: HttpReceiver;
  let silent: HttpReceiver;
  before(async () => {
    flaky = await startHttpReceiver((index) =>
      index === 0 ? { status: 500, body: 'upstream down' } : { status: 200 },
    );
    silent = await startHttpReceiver(() => ({ status: 200, hang: true }));
  });
  after(async () => {
    await flaky.close();
    await silent.close();
  });

  it('retries an unreachable channel with exponential back-off up to the cap, then reports failure without throwing', async () => {
    const port = await closedPort();
    const options = testOptions({ policy: { attempts: 6, delayMs: 1_000, factor: 2, maxDelayMs: 10_000 } });
    const report = await deliver(
      criticalRun,
      channel('ops', {
        slack: {
          webhook_url: 'https://hooks.slack.com/services/T0/B0/XXXX',
          url: `http://127.0.0.1:${port}/`,
        },
      }),
      options,
    );
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(options.waits, [1_000, 2_000, 4_000, 8_000, 10_000]);
    assert.equal(report.attempts.length, 6);
    for (const attempt of report.attempts) {
      assert.equal(attempt.outcome, 'failed');
      assert.equal(attempt.retryable, true);
      assert.match(
        attempt.error ?? '',
        new RegExp(`^POST http://127\\.0\\.0\\.1:${port}: fetch failed \\(.*ECONNREFUSED`),
      );
    }
    assert.deepEqual(
      report.attempts.map((attempt) => attempt.nextDelayMs),
      [1_000, 2_000, 4_000, 8_000, 10_000, undefined],
    );
    assert.match(
      report.outcome === 'failed' ? report.error : '',
      /^gave up after 6 attempts: POST http:\/\/127\.0\.0\.1/,
    );
    assert.equal(report.startedAt, fixedNow);
    assert.doesNotThrow(() => JSON.stringify(report));
  });

  it('succeeds on the retry when the receiver answers 500, then 200', async () => {
    const options = testOptions();
    const report = await deliver(criticalRun, channel('hook', { webhook: { url: flaky.url } }), options);
    assert.equal(report.outcome, 'delivered');
    assert.deepEqual(
      report.attempts.map((attempt) => [attempt.outcome, attempt.status]),
      [
        ['failed', 500],
        ['delivered', 200],
      ],
    );
    assert.match(report.attempts[0]?.error ?? '', /answered HTTP 500: upstream down$/);
    assert.deepEqual(options.waits, [defaultDeliveryPolicy.delayMs]);
    assert.equal(flaky.requests.length, 2);
  });

  it('abandons an attempt that gets no answer within the attempt timeout', async () => {
    const report = await deliver(
      criticalRun,
      channel('hook', { webhook: { url: silent.url } }),
      testOptions({ policy: { attempts: 2, attemptTimeoutMs: 150 } }),
    );
    assert.equal(report.outcome, 'failed');
    assert.equal(report.attempts.length, 2);
    assert.match(report.attempts[0]?.error ?? '', /no answer within 150 ms$/);
    assert.equal(report.attempts[0]?.retryable, true);
  });

  it('stops at once when the caller abandons the delivery', async () => {
    const controller = new AbortController();
    const pending = deliver(
      criticalRun,
      channel('hook', { webhook: { url: silent.url } }),
      testOptions({ signal: controller.signal, policy: { attemptTimeoutMs: 60_000 } }),
    );
    setTimeout(() => controller.abort(), 50);
    const report = await pending;
    assert.equal(report.outcome, 'failed');
    assert.equal(report.attempts.length, 1);
    assert.match(
      report.outcome === 'failed' ? report.error : '',
      /^abandoned after 1 attempt: .*abandoned before an answer came/,
    );
  });

  it('does not retry an endpoint that is not a URL, and never throws for it', async () => {
    const report = await deliver(
      criticalRun,
      channel('hook', { webhook: { url: 'not a url' } }),
      testOptions(),
    );
    assert.equal(report.outcome, 'failed');
    assert.equal(report.attempts.length, 1);
    assert.equal(report.attempts[0]?.retryable, false);
    assert.match(report.attempts[0]?.error ?? '', /not a valid http:\/\/ or https:\/\/ URL/);
  });

  it('grows each wait by at most the jitter fraction, never past the cap', () => {
    const policy = { ...defaultDeliveryPolicy, delayMs: 1_000, factor: 3, maxDelayMs: 20_000, jitter: 0.2 };
    assert.equal(
      retryDelay(policy, 1, () => 0),
      1_000,
    );
    assert.equal(
      retryDelay(policy, 1, () => 1),
      1_200,
    );
    assert.equal(
      retryDelay(policy, 2, () => 0.5),
      3_300,
    );
    assert.equal(
      retryDelay(policy, 4, () => 1),
      20_000,
    );
    assert.equal(
      retryDelay(policy, 1, () => 0, 5_000),
      5_000,
    );
    assert.equal(
      retryDelay(policy, 1, () => 0, 3_600_000),
      20_000,
    );
  });
});

describe('quiet hours', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver();
  });
  after(() => receiver.close());
  const quietOps = () =>
    channel('ops', {
      webhook: { url: receiver.url, quiet_hours: { from: '22:00', to: '07:00', timezone: 'Europe/Berlin' } },
    });
  // 02:00:05 UTC is 03:00:05 in Berlin: inside 22:00-07:00.

  it('holds back a notification below critical inside the window and says so in the report', async () => {
    const before = receiver.requests.length;
    const report = await deliver({ ...criticalRun, severity: 'failure' }, quietOps(), testOptions());
    assert.equal(report.outcome, 'suppressed');
    assert.match(report.outcome === 'suppressed' ? report.reason : '', /quiet hours \(Europe\/Berlin\)/);
    assert.equal(receiver.requests.length, before);
  });

  it('lets critical notifications and tests through inside the window', async () => {
    assert.equal((await deliver(criticalRun, quietOps(), testOptions())).outcome, 'delivered');
    const test = { ...criticalRun, kind: 'test' as const, severity: 'info' as const };
    assert.equal((await deliver(test, quietOps(), testOptions())).outcome, 'delivered');
  });

  it('sends everything outside the window', async () => {
    const noon = Date.parse('2026-03-14T11:00:00Z');
    const report = await deliver(
      { ...criticalRun, severity: 'warning' },
      quietOps(),
      testOptions({ now: () => noon }),
    );
    assert.equal(report.outcome, 'delivered');
  });
});
