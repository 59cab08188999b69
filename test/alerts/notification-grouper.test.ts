/** The group window between the alerter and the outbox, on a manual clock: no sleeping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationGrouper, outputExcerpt } from '../../src/alerts/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { Notification } from '../../src/notify/index.ts';
import type { LogChunk } from '../../src/store/index.ts';

function failure(
  job: string,
  kind: Notification['kind'] = 'trigger',
  severity: Notification['severity'] = 'failure',
): Notification {
  return {
    kind,
    dedupKey: `cronplane:run:failed:${job}`,
    severity,
    title: kind === 'resolve' ? `${job} recovered` : `${job} failed: HTTP 502`,
    summary: kind === 'resolve' ? '' : 'response body:\nbad gateway',
    job,
    details: { http_status: 502 },
  };
}

function grouper(windowMs = 30_000, waitMs = 0) {
  const clock = manualClock(0);
  const sent: { notification: Notification; channels: readonly string[] }[] = [];
  const queue = new NotificationGrouper({
    outbox: { enqueue: (notification, channels) => sent.push({ notification, channels }) },
    clock,
    windowMs,
    waitMs,
    groups: (channel) => channel !== 'pager',
  });
  const titles = (channel: string) =>
    sent.filter((entry) => entry.channels.includes(channel)).map((entry) => entry.notification.title);
  return { clock, sent, queue, titles };
}

/** Timers of the manual clock run on setImmediate. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('NotificationGrouper', () => {
  it('sends a lone failure at once, and an outage of twelve jobs as two messages per channel instead of twelve', async () => {
    const { clock, queue, titles } = grouper();
    queue.enqueue(failure('gw-01'), ['ops', 'pager']);
    assert.deepEqual(titles('ops'), ['gw-01 failed: HTTP 502']);
    for (let index = 2; index <= 12; index++) {
      clock.advance(1000);
      queue.enqueue(failure(`gw-${String(index).padStart(2, '0')}`), ['ops', 'pager']);
    }
    assert.equal(titles('ops').length, 1);
    clock.advance(18_999);
    await settle();
    assert.equal(titles('ops').length, 1);
    clock.advance(1);
    await settle();
    const ops = titles('ops');
    assert.equal(ops.length, 2);
    assert.match(ops[1] ?? '', /^11 jobs failed: gw-02, gw-03, .*gw-12$/);
    // An incident tool: each failure its own incident, under its own dedup key, at once.
    assert.equal(titles('pager').length, 12);
  });

  it('with group_wait, holds the first failure that long, so an outage of twelve jobs inside it is one message per channel', async () => {
    const { clock, queue, titles } = grouper(30_000, 10_000);
    for (let index = 1; index <= 12; index++) {
      queue.enqueue(failure(`gw-${String(index).padStart(2, '0')}`), ['ops', 'pager']);
      clock.advance(500);
    }
    assert.deepEqual(titles('ops'), [], 'nothing yet: the first waits for company');
    assert.equal(titles('pager').length, 12, 'an incident tool still gets each at once');
    clock.advance(10_000 - 6_000 - 1);
    await settle();
    assert.deepEqual(titles('ops'), []);
    clock.advance(1);
    await settle();
    assert.equal(titles('ops').length, 1);
    assert.match(titles('ops')[0] ?? '', /^12 jobs failed: gw-01, gw-02, .*gw-12$/);
    // A failure after the wait falls in the window it opened, and goes out when that ends.
    clock.advance(1_000);
    queue.enqueue(failure('late'), ['ops']);
    assert.equal(titles('ops').length, 1);
    clock.advance(29_000);
    await settle();
    assert.deepEqual(titles('ops').slice(1), ['late failed: HTTP 502']);
    // Recoveries wait the same way: one all-clear for two incidents.
    queue.enqueue(failure('gw-01', 'resolve'), ['ops']);
    queue.enqueue(failure('gw-02', 'resolve'), ['ops']);
    clock.advance(10_000);
    await settle();
    assert.equal(titles('ops').length, 3);
    assert.match(titles('ops')[2] ?? '', /^2 jobs recovered/);
  });

  it('leads a group with its most severe member, whose severity and dedup key the message carries', async () => {
    const { clock, queue, sent } = grouper();
    queue.enqueue(failure('a'), ['ops']);
    queue.enqueue(failure('b'), ['ops']);
    queue.enqueue(failure('c', 'trigger', 'critical'), ['ops']);
    clock.advance(30_000);
    await settle();
    const grouped = sent[1]?.notification;
    assert.equal(grouped?.severity, 'critical');
    assert.equal(grouped?.dedupKey, 'cronplane:run:failed:c');
    assert.deepEqual(grouped?.details, { b: 'failed: HTTP 502', c: 'failed: HTTP 502' });
  });

  it('never lets a resolve overtake its held trigger, and passes triggers and resolves to an incident tool one by one', () => {
    const { queue, titles } = grouper();
    queue.enqueue(failure('a'), ['ops', 'pager']);
    queue.enqueue(failure('b'), ['ops', 'pager']);
    queue.enqueue(failure('b', 'resolve'), ['ops', 'pager']);
    assert.deepEqual(titles('ops'), ['a failed: HTTP 502', 'b failed: HTTP 502', 'b recovered']);
    assert.deepEqual(titles('pager'), ['a failed: HTTP 502', 'b failed: HTTP 502', 'b recovered']);
    queue.enqueue(failure('a', 'resolve'), ['ops', 'pager']);
    assert.deepEqual(titles('pager').at(-1), 'a recovered');
    assert.equal(titles('ops').length, 3);
  });

  it('sends what it holds on release, and everything at once with a window of 0', () => {
    const { queue, titles } = grouper();
    queue.enqueue(failure('a'), ['ops']);
    queue.enqueue(failure('b'), ['ops']);
    queue.release();
    assert.deepEqual(titles('ops'), ['a failed: HTTP 502', 'b failed: HTTP 502']);
    const off = grouper(0);
    off.queue.enqueue(failure('a'), ['ops']);
    off.queue.enqueue(failure('b'), ['ops']);
    assert.equal(off.titles('ops').length, 2);
  });
});

describe('outputExcerpt', () => {
  const chunk = (stream: LogChunk['stream'], text: string, seq: number): LogChunk => ({
    runId: 1,
    seq,
    at: 0,
    stream,
    chunk: text,
  });
  const chunks = [
    chunk('system', 'spawned sh\n', 1),
    chunk('stdout', 'one\ntwo\n', 2),
    chunk('stderr', 'three\nfour: ü€\n\n', 3),
  ];

  it("keeps the work's last lines for a command and its first for an HTTP body, without cronplane's lines", () => {
    assert.deepEqual(outputExcerpt(chunks, 'tail', { lines: 2, bytes: 1000 }), {
      text: 'three\nfour: ü€',
      cut: true,
      totalLines: 4,
    });
    assert.deepEqual(outputExcerpt(chunks, 'head', { lines: 2, bytes: 1000 }), {
      text: 'one\ntwo',
      cut: true,
      totalLines: 4,
    });
    assert.deepEqual(outputExcerpt(chunks, 'tail', { lines: 20, bytes: 1000 }), {
      text: 'one\ntwo\nthree\nfour: ü€',
      cut: false,
      totalLines: 4,
    });
  });

  it('cuts to the byte bound on a whole character, and says nothing of a silent run', () => {
    // "€" is 3 bytes: 4 bytes from the end would split "ü" (2 bytes) before it.
    assert.deepEqual(outputExcerpt(chunks, 'tail', { lines: 20, bytes: 4 }), {
      text: '€',
      cut: true,
      totalLines: 4,
    });
    assert.deepEqual(outputExcerpt(chunks, 'head', { lines: 20, bytes: 5 }), {
      text: 'one\nt',
      cut: true,
      totalLines: 4,
    });
    assert.equal(outputExcerpt([chunk('stdout', '\n \n', 1)], 'tail', { lines: 5, bytes: 100 }), undefined);
    assert.equal(outputExcerpt(chunks, 'tail', { lines: 0, bytes: 100 }), undefined);
  });
});
