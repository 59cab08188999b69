/**
 * An event is marked told before its message is handed to the outbox: whatever sees the message
 * delivered (a ping that brings the monitor up, a run that succeeds, the next reminder pass) finds
 * the event told, so its recovery is sent and its reminder counts from it. With the mark after
 * the hand-over, a slow store write let a recovery go untold after its trigger had been delivered.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Alerter } from '../../src/alerts/index.ts';
import type { Incident } from '../../src/incidents/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { channelsOf } from '../../src/notify/index.ts';
import type { Store } from '../../src/store/index.ts';
import { configOf, silentLogger } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

const hour = 3_600_000;

const config = configOf(`version: 1
channels:
  ops: { slack: { webhook_url: 'https://hooks.slack.invalid/T0/B0/x' } }
defaults: { notify: { failure: [ops], critical: [ops], recovery: [ops] } }
jobs:
  a: { run: 'true', watch: { remind_every: 1h } }
`);

function failure(dedupKey: string, overrides: Partial<Incident> = {}): Incident {
  return {
    kind: 'run:failed',
    notifyKey: 'failure',
    severity: 'failure',
    dedupKey,
    job: 'a',
    title: `${dedupKey} failed`,
    summary: 'exit code 1',
    ...overrides,
  };
}

/**
 * An alerter on a real store whose `markEventNotified` takes a while to answer, and the order in
 * which marks were stored and messages handed over.
 */
async function slowMarkAlerter(): Promise<{
  alerter: Alerter;
  clock: ManualClock;
  order: string[];
  store: Store;
}> {
  const store = await harness.open();
  const order: string[] = [];
  const slow: Store = Object.create(store) as Store;
  slow.markEventNotified = async (id, at) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const marked = await store.markEventNotified(id, at);
    order.push(`marked ${(await store.getEvent(id))?.dedupKey}`);
    return marked;
  };
  const clock = manualClock(Date.parse('2026-03-14T02:00:00Z'));
  const alerter = new Alerter({
    store: slow,
    clock,
    logger: silentLogger,
    outbox: { enqueue: (notification) => order.push(`sent ${notification.kind} ${notification.title}`) },
  });
  alerter.setConfig(config, channelsOf(config.channels, { timezone: config.timezone }));
  return { alerter, clock, order, store };
}

describe('the alerter marks an event told before it hands the message over', () => {
  it('still sends the message when the mark fails, and says the mark failed', async () => {
    await harness.reset();
    const store = await harness.open();
    const failing: Store = Object.create(store) as Store;
    failing.markEventNotified = () => Promise.reject(new Error('the store is gone'));
    const sent: string[] = [];
    const broken = new Alerter({
      store: failing,
      clock: manualClock(Date.parse('2026-03-14T02:00:00Z')),
      logger: silentLogger,
      outbox: { enqueue: (notification) => sent.push(notification.title) },
    });
    broken.setConfig(config, channelsOf(config.channels, { timezone: config.timezone }));
    try {
      await assert.rejects(broken.raise(failure('a:failed')), /the store is gone/);
      assert.deepEqual(sent, ['a:failed failed']);
    } finally {
      await store.release();
    }
  });

  it('for a trigger: the mark is stored before the message leaves', async () => {
    await harness.reset();
    const { alerter, order, store } = await slowMarkAlerter();
    try {
      await alerter.raise(failure('a:failed'));
      assert.deepEqual(order, ['marked a:failed', 'sent trigger a:failed failed']);
    } finally {
      await store.release();
    }
  });

  it('for a reminder: the new mark is stored before the reminder leaves', async () => {
    await harness.reset();
    const { alerter, clock, order, store } = await slowMarkAlerter();
    try {
      await alerter.raise(failure('a:failed'));
      clock.advance(hour);
      assert.equal(await alerter.remind(), 1);
      assert.deepEqual(order.slice(2), ['marked a:failed', 'sent trigger reminder: a:failed failed']);
      const [open] = (await store.listEvents({ open: true })).events;
      assert.equal(open?.notifiedAt, clock.now());
    } finally {
      await store.release();
    }
  });

  it("for a run's gathered reasons: every reason is marked before the one message leaves", async () => {
    await harness.reset();
    const { alerter, order, store } = await slowMarkAlerter();
    try {
      const at = Date.parse('2026-03-14T02:00:00Z');
      const { inserted } = await store.insertRuns([
        { job: 'a', trigger: 'api', scheduledAt: at, queuedAt: at },
      ]);
      const runId = inserted[0]?.id ?? assert.fail('no run recorded');
      alerter.gatherRun(runId);
      await alerter.raise(failure('a:failed', { runId }));
      await alerter.raise(failure('a:slow', { runId, severity: 'critical', notifyKey: 'critical' }));
      assert.deepEqual(order, [], 'nothing is told while the run is gathered');
      await alerter.tellRun(runId);
      assert.deepEqual(order.slice(0, 2).sort(), ['marked a:failed', 'marked a:slow']);
      assert.equal(order.length, 3);
      assert.match(order[2] ?? '', /^sent trigger a:slow failed; /);
    } finally {
      await store.release();
    }
  });
});
