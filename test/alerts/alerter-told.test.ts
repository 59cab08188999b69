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

interface Told {
  readonly alerter: Alerter;
  readonly clock: ManualClock;
  /** What happened, in order: `marked <dedup key>` once a mark is stored, `sent <kind> <title>`. */
  readonly order: string[];
  readonly store: Store;
}

/**
 * Runs `body` with an alerter on a fresh real store whose `markEventNotified` is `mark` (by
 * default: stored after 50 ms), then releases the store.
 */
async function withAlerter(
  body: (told: Told) => Promise<void>,
  mark?: (store: Store, id: number, at: number) => Promise<boolean>,
): Promise<void> {
  await harness.reset();
  const store = await harness.open();
  const order: string[] = [];
  const wrapped: Store = Object.create(store) as Store;
  wrapped.markEventNotified =
    mark === undefined
      ? async (id, at) => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const marked = await store.markEventNotified(id, at);
          order.push(`marked ${(await store.getEvent(id))?.dedupKey}`);
          return marked;
        }
      : (id, at) => mark(store, id, at);
  const clock = manualClock(Date.parse('2026-03-14T02:00:00Z'));
  const alerter = new Alerter({
    store: wrapped,
    clock,
    logger: silentLogger,
    outbox: { enqueue: (notification) => order.push(`sent ${notification.kind} ${notification.title}`) },
  });
  alerter.setConfig(config, channelsOf(config.channels, { timezone: config.timezone }));
  try {
    await body({ alerter, clock, order, store });
  } finally {
    await store.release();
  }
}

describe('the alerter marks an event told before it hands the message over', () => {
  it('still sends the message when the mark fails, and says the mark failed', async () => {
    await withAlerter(
      async ({ alerter, order }) => {
        await assert.rejects(alerter.raise(failure('a:failed')), /the store is gone/);
        assert.deepEqual(order, ['sent trigger a:failed failed']);
      },
      () => Promise.reject(new Error('the store is gone')),
    );
  });

  it('for a trigger: the mark is stored before the message leaves', async () => {
    await withAlerter(async ({ alerter, order }) => {
      await alerter.raise(failure('a:failed'));
      assert.deepEqual(order, ['marked a:failed', 'sent trigger a:failed failed']);
    });
  });

  it('for a reminder: the new mark is stored before the reminder leaves', async () => {
    await withAlerter(async ({ alerter, clock, order, store }) => {
      await alerter.raise(failure('a:failed'));
      clock.advance(hour);
      assert.equal(await alerter.remind(), 1);
      assert.deepEqual(order.slice(2), ['marked a:failed', 'sent trigger reminder: a:failed failed']);
      const [open] = (await store.listEvents({ open: true })).events;
      assert.equal(open?.notifiedAt, clock.now());
    });
  });

  it("for a run's gathered reasons: every reason is marked before the one message leaves", async () => {
    await withAlerter(async ({ alerter, order, store }) => {
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
    });
  });
});
