import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { deliver, pagerdutyEndpoint, pagerdutyEvent } from '../../src/notify/index.ts';
import { channel, criticalRecovered, criticalRun, fixedNow, testOptions } from './fixtures.ts';
import type { Answer, HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

const routingKey = 'R0UT1NGKEY0000000000000000000000';

describe('PagerDuty Events API v2', () => {
  let receiver: HttpReceiver;
  let answers: Answer[] = [];
  before(async () => {
    receiver = await startHttpReceiver(
      (index) =>
        answers[index] ?? {
          status: 202,
          headers: { 'content-type': 'application/json' },
          body: '{"status":"success","message":"Event processed","dedup_key":"cronplane:drift-review:critical"}',
        },
    );
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    answers = [];
  });
  after(() => receiver.close());
  const pager = () =>
    channel('pager', { pagerduty: { routing_key: routingKey, url: `${receiver.url}/v2/enqueue` } });

  it('triggers with a stable dedup_key, then resolves the same incident on recovery', async () => {
    const trigger = await deliver(criticalRun, pager(), testOptions());
    const resolve = await deliver(criticalRecovered, pager(), testOptions());
    assert.equal(trigger.outcome, 'delivered');
    assert.equal(resolve.outcome, 'delivered');
    assert.equal(trigger.attempts[0]?.detail, 'dedup_key cronplane:drift-review:critical');
    assert.deepEqual(
      receiver.requests.map((request) => request.path),
      ['/v2/enqueue', '/v2/enqueue'],
    );
    assert.deepEqual(receiver.json(0), {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'cronplane:drift-review:critical',
      payload: {
        summary: 'drift-review failed: exit code 1 (critical): Traceback (most recent call last):',
        source: 'drift-review',
        severity: 'critical',
        timestamp: '2026-03-14T02:00:05.000Z',
        class: 'critical',
        custom_details: {
          summary: criticalRun.summary,
          job: 'drift-review',
          run_id: 4211,
          exit_code: 1,
          attempt: 1,
          duration: '4m 12s',
        },
      },
      links: [{ href: 'https://cron.example.com/runs/4211', text: 'Run 4211 in cronplane' }],
      client: 'cronplane',
      client_url: 'https://cron.example.com/runs/4211',
    });
    assert.deepEqual(receiver.json(1), {
      routing_key: routingKey,
      event_action: 'resolve',
      dedup_key: 'cronplane:drift-review:critical',
    });
  });

  it("maps cronplane's severities to PagerDuty's (failure is error)", () => {
    const severityOf = (severity: 'info' | 'warning' | 'failure' | 'critical') =>
      (
        pagerdutyEvent({ ...criticalRun, severity }, routingKey, fixedNow) as {
          payload: { severity: string };
        }
      ).payload.severity;
    assert.deepEqual((['info', 'warning', 'failure', 'critical'] as const).map(severityOf), [
      'info',
      'warning',
      'error',
      'critical',
    ]);
  });

  it('replaces a dedup key longer than 255 characters by a stable hash', () => {
    const long = { ...criticalRun, dedupKey: `cronplane:${'x'.repeat(300)}` };
    const first = pagerdutyEvent(long, routingKey, fixedNow) as { dedup_key: string };
    const again = pagerdutyEvent({ ...long, kind: 'resolve' }, routingKey, fixedNow) as { dedup_key: string };
    assert.match(first.dedup_key, /^cronplane-[0-9a-f]{64}$/);
    assert.equal(again.dedup_key, first.dedup_key);
  });

  it('sends a test as a trigger resolved at once, leaving no incident open', async () => {
    const report = await deliver(
      { ...criticalRun, kind: 'test', dedupKey: 'cronplane:test:pager:1', severity: 'info' },
      pager(),
      testOptions(),
    );
    assert.equal(report.outcome, 'delivered');
    const [first, second] = [receiver.json(0), receiver.json(1)] as {
      event_action: string;
      dedup_key: string;
      payload?: { severity: string };
    }[];
    assert.equal(first?.event_action, 'trigger');
    assert.equal(first?.payload?.severity, 'info');
    assert.equal(second?.event_action, 'resolve');
    assert.equal(second?.dedup_key, 'cronplane:test:pager:1');
  });

  it('does not retry an event PagerDuty refuses as invalid (400)', async () => {
    answers = [{ status: 400, body: '{"status":"invalid event","message":"Event object is invalid"}' }];
    const options = testOptions();
    const report = await deliver(criticalRun, pager(), options);
    assert.equal(report.outcome, 'failed');
    assert.equal(report.attempts.length, 1);
    assert.equal(report.attempts[0]?.status, 400);
    assert.equal(report.attempts[0]?.retryable, false);
    assert.match(report.outcome === 'failed' ? report.error : '', /HTTP 400: \{"status":"invalid event"/);
    assert.deepEqual(options.waits, []);
  });

  it('waits as long as a 429 answer asks before trying again', async () => {
    answers = [{ status: 429, headers: { 'retry-after': '30' }, body: 'slow down' }];
    const options = testOptions();
    const report = await deliver(criticalRun, pager(), options);
    assert.equal(report.outcome, 'delivered');
    assert.deepEqual(options.waits, [30_000]);
    assert.equal(report.attempts[0]?.nextDelayMs, 30_000);
  });

  it('sends to events.pagerduty.com when no url is given', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('{"status":"success"}', { status: 202 });
    };
    const report = await deliver(
      criticalRun,
      channel('pager', { pagerduty: { routing_key: routingKey } }),
      testOptions({ fetch: fakeFetch }),
    );
    assert.equal(report.outcome, 'delivered');
    assert.deepEqual(seen, [pagerdutyEndpoint]);
    assert.equal(pagerdutyEndpoint, 'https://events.pagerduty.com/v2/enqueue');
  });
});
