import assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { DeliveryReport, OutboxLogger } from '../../src/notify/index.ts';
import { createOutbox } from '../../src/notify/index.ts';
import { channel, criticalRecovered, criticalRun, testOptions } from './fixtures.ts';
import type { HttpReceiver } from './receivers.ts';
import { startHttpReceiver } from './receivers.ts';

function recordingLogger(): OutboxLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (details, message) => lines.push(`warn ${message} ${JSON.stringify(details)}`),
    error: (details, message) => lines.push(`error ${message} ${JSON.stringify(details)}`),
  };
}

describe('outbox', () => {
  let hanging: HttpReceiver;
  let flakyOnce: HttpReceiver;
  let slow: HttpReceiver;
  before(async () => {
    hanging = await startHttpReceiver(() => ({ status: 200, hang: true }));
    flakyOnce = await startHttpReceiver((index) => (index === 0 ? { status: 502 } : { status: 200 }));
    slow = await startHttpReceiver(() => ({ status: 200, hang: true }));
  });
  after(async () => {
    await hanging.close();
    await flakyOnce.close();
    await slow.close();
  });

  it('returns from enqueue at once while the receiver has not answered, and drain waits for the report', async () => {
    const reports: DeliveryReport[] = [];
    const outbox = createOutbox({
      ...testOptions({ policy: { attempts: 1, attemptTimeoutMs: 200 } }),
      channels: new Map([['hook', channel('hook', { webhook: { url: hanging.url } })]]),
      onReport: (report) => {
        reports.push(report);
      },
    });
    const started = performance.now();
    outbox.enqueue(criticalRun, ['hook']);
    assert.ok(performance.now() - started < 20, 'enqueue must not wait for the delivery');
    assert.equal(outbox.pending, 1);
    assert.equal(reports.length, 0);
    await outbox.drain();
    assert.equal(outbox.pending, 0);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.outcome, 'failed');
    await outbox.release();
  });

  it('never lets a resolve overtake its trigger on the same channel, even while the trigger is retried', async () => {
    const outbox = createOutbox({
      ...testOptions(),
      sleep: (ms, signal) => wait(Math.min(ms, 80), undefined, { signal }).catch(() => undefined),
      channels: new Map([['hook', channel('hook', { webhook: { url: flakyOnce.url } })]]),
    });
    outbox.enqueue(criticalRun, ['hook']);
    outbox.enqueue(criticalRecovered, ['hook']);
    await outbox.drain();
    assert.deepEqual(
      flakyOnce.requests.map((request) => (JSON.parse(request.body) as { kind: string }).kind),
      ['trigger', 'trigger', 'resolve'],
    );
    await outbox.release();
  });

  it('runs at most `concurrency` deliveries at once', async () => {
    const channels = new Map(
      ['a', 'b', 'c', 'd', 'e'].map((name) => [
        name,
        channel(name, { webhook: { url: `${slow.url}/${name}` } }),
      ]),
    );
    const outbox = createOutbox({
      ...testOptions({ policy: { attempts: 1, attemptTimeoutMs: 1_000 } }),
      channels,
      concurrency: 2,
    });
    // Each request hangs until its 1 s attempt timeout: they go out two at a time.
    outbox.enqueue(criticalRun, [...channels.keys()]);
    while (slow.requests.length < 2) await wait(5);
    await wait(300);
    assert.equal(slow.requests.length, 2, 'only two requests are under way');
    await outbox.drain();
    assert.deepEqual(slow.requests.map((request) => request.path).sort(), ['/a', '/b', '/c', '/d', '/e']);
    await outbox.release();
  });

  it('abandons what outlives the grace on release, reporting it failed, and takes no more work', async () => {
    const reports: DeliveryReport[] = [];
    const logger = recordingLogger();
    const outbox = createOutbox({
      ...testOptions({ policy: { attemptTimeoutMs: 60_000 } }),
      channels: new Map([['hook', channel('hook', { webhook: { url: hanging.url } })]]),
      onReport: (report) => {
        reports.push(report);
      },
      logger,
    });
    outbox.enqueue(criticalRun, ['hook']);
    const started = performance.now();
    await outbox.release({ graceMs: 50 });
    assert.ok(performance.now() - started < 2_000);
    assert.equal(reports.length, 1);
    assert.match(reports[0]?.outcome === 'failed' ? reports[0].error : '', /^abandoned after 1 attempt/);
    outbox.enqueue(criticalRun, ['hook']);
    assert.equal(outbox.pending, 0);
    assert.ok(logger.lines.some((line) => line.startsWith('warn the outbox is released; not sent')));
  });

  it('logs a report listener that throws, and an unknown channel name, without stopping', async () => {
    const logger = recordingLogger();
    const outbox = createOutbox({
      ...testOptions(),
      channels: new Map([['hook', channel('hook', { webhook: { url: flakyOnce.url } })]]),
      onReport: () => {
        throw new Error('store is down');
      },
      logger,
    });
    outbox.enqueue(criticalRun, ['hook', 'nope', 'hook']);
    await outbox.drain();
    assert.ok(logger.lines.some((line) => line.startsWith('error no channel named "nope"; not sent')));
    assert.ok(
      logger.lines.some((line) => line.startsWith('error storing a delivery report failed: store is down')),
    );
    await outbox.release();
  });
});
