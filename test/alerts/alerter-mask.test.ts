/**
 * The Alerter masks the job file's secrets in what it records and sends, whatever a raiser put
 * in an incident: the event row (title, summary, details) and every notification.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Alerter } from '../../src/alerts/index.ts';
import { configMask } from '../../src/config/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { Notification } from '../../src/notify/index.ts';
import { channelsOf } from '../../src/notify/index.ts';
import { configOf, silentLogger } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

describe('the alerter and the secrets of the job file', () => {
  it('records and sends an incident with every secret masked', async () => {
    const config = configOf(`version: 1
channels:
  ops: { slack: { webhook_url: 'http://127.0.0.1:9/services/T0/B0/slack-token-0001' } }
defaults: { notify: { failure: [ops], recovery: [ops] } }
jobs:
  a: { run: 'true', env: { KEY: { secret: 'env-secret-value-0002' } } }
`);
    const store = await harness.open();
    try {
      const sent: Notification[] = [];
      const mask = configMask(config, {});
      const alerter = new Alerter({
        store,
        clock: manualClock(Date.parse('2026-03-14T02:00:00Z')),
        logger: silentLogger,
        outbox: { enqueue: (notification) => sent.push(notification) },
        mask: () => mask,
      });
      const channels = channelsOf(config.channels, { timezone: config.timezone });
      alerter.setConfig(config, channels);
      const event = await alerter.raiseEvent({
        kind: 'run:failed',
        notifyKey: 'failure',
        severity: 'failure',
        dedupKey: 'a:failed',
        job: 'a',
        title: 'a failed with env-secret-value-0002',
        summary: 'posted to http://127.0.0.1:9/services/T0/B0/slack-token-0001',
        details: { error: 'token env-secret-value-0002 refused' },
      });
      await alerter.resolve({
        dedupKey: 'a:failed',
        notifyKey: 'failure',
        job: 'a',
        title: 'a: env-secret-value-0002 works again',
      });
      const stored = JSON.stringify([event, await store.getEvent(event.id)]);
      const told = JSON.stringify(sent);
      assert.equal(sent.length, 2, 'the trigger and the resolve were sent');
      for (const text of [stored, told]) {
        assert.ok(!text.includes('env-secret-value-0002') && !text.includes('slack-token-0001'), text);
        assert.match(text, /\*\*\*/);
      }
    } finally {
      await store.release();
    }
  });
});
