/**
 * Monitors end to end: a real daemon on a free loopback port with a manual clock, pings over
 * HTTP, and the Alerter delivering to a real loopback receiver (Slack and a signed webhook).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { waitFor } from '../support/engine-harness.ts';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const MIN = 60_000;

function yamlFor(receiver: string): string {
  return `version: 1
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x", url: "${receiver}/slack" } }
  audit: { webhook: { url: "${receiver}/hook", secret: whsec-example-key } }
monitors:
  backup:
    period: 1h
    grace: 10m
    notify: { down: [ops, audit], up: [ops, audit] }
`;
}

export function defineMonitorAlertsSuite(storeName: string, freshStore: () => Promise<string>): void {
  describe(`monitor alerts end to end on ${storeName}`, () => {
    let receiver: HttpReceiver;
    const daemons: ApiDaemon[] = [];
    before(async () => {
      receiver = await startHttpReceiver();
    });
    after(async () => {
      for (const daemon of daemons) await daemon.stop();
      await receiver.close();
    });

    /** A daemon with a manual clock at T0 whose monitor `backup` has pinged once, the receiver emptied. */
    async function startPinged(yaml: string) {
      receiver.requests.length = 0;
      const clock = manualClock(T0);
      const api = await startApiDaemon({
        yaml,
        storeUrl: await freshStore(),
        clock,
        delivery: { policy: { attempts: 2, delayMs: 5, attemptTimeoutMs: 2000 } },
      });
      daemons.push(api);
      const monitor = await api.daemon.store.getMonitor('backup');
      assert.ok(monitor);
      const ping = `/ping/${monitor.pingId}`;
      assert.equal((await api.request('GET', ping, { token: null })).status, 200);
      return { api, clock, ping };
    }

    it('sends down to Slack and the webhook when a ping misses its grace, and up when the next ping comes', async () => {
      const { api, clock, ping } = await startPinged(yamlFor(receiver.url));

      clock.advance(60 * MIN + 10 * MIN);
      await api.daemon.monitorWatch.check();
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'up', 'in time up to the grace');
      assert.equal(receiver.requests.length, 0);

      clock.advance(1);
      await waitFor('the down alert', () => receiver.requests.length >= 2 || undefined);
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'down');
      const slackDown = receiver.requests.find((request) => request.path === '/slack');
      assert.match(slackDown?.body ?? '', /backup is down: no ping for 1h plus the grace/);
      const hookDown = receiver.requests.find((request) => request.path === '/hook');
      const downEvent = JSON.parse(hookDown?.body ?? '{}') as Record<string, unknown>;
      assert.match(JSON.stringify(downEvent), /monitor:down/);
      assert.match(String(hookDown?.headers['x-cronplane-signature']), /.{16,}/, 'signed');
      const [event] = (await api.daemon.store.listEvents({ kind: 'monitor:down' })).events;
      assert.equal(event?.severity, 'failure');
      assert.equal(event?.resolvedAt, null);

      clock.advance(5 * MIN);
      assert.equal((await api.request('POST', ping, { token: null, raw: 'back\n' })).status, 200);
      await waitFor('the up alert', () => receiver.requests.length >= 4 || undefined);
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'up');
      const slackUp = receiver.requests.filter((request) => request.path === '/slack')[1];
      assert.match(slackUp?.body ?? '', /backup is up again/);
      const hookUp = receiver.requests.filter((request) => request.path === '/hook')[1];
      assert.match(hookUp?.body ?? '', /resolve|recover|up again/i);
      const [resolved] = (await api.daemon.store.listEvents({ kind: 'monitor:down' })).events;
      assert.equal(typeof resolved?.resolvedAt, 'number');
      const ready = await api.request('GET', '/readyz', { token: null });
      assert.deepEqual(ready.body.summary.monitorsDown, []);
    });

    it('reminds the channels every remind_every while a monitor stays down, and not while it is paused', async () => {
      const { api, clock } = await startPinged(
        yamlFor(receiver.url).replace('    grace: 10m\n', '    grace: 10m\n    remind_every: 2h\n'),
      );
      clock.advance(70 * MIN + 1);
      await waitFor('the down alert', () => receiver.requests.length >= 2 || undefined);
      const slack = () => receiver.requests.filter((request) => request.path === '/slack');

      // The daemon's own reminder pass runs on the clock too: after a look of ours (passes run one
      // at a time, so it follows any under way), what was sent is what counts, not who sent it.
      const look = async () => {
        await api.daemon.alerter.remind();
        await api.daemon.outbox.drain();
      };
      clock.advance(60 * MIN);
      await look();
      assert.equal(slack().length, 1, 'not yet: one hour of two');
      clock.advance(60 * MIN);
      await look();
      assert.equal(slack().length, 2);
      assert.match(slack()[1]?.body ?? '', /reminder: backup is down/);
      assert.match(slack()[1]?.body ?? '', /open since 2026-01-10T13:10:00\.001Z/);

      const paused = await api.request('POST', '/api/monitors/backup/pause');
      assert.equal(paused.status, 200);
      clock.advance(4 * 60 * MIN);
      await look();
      assert.equal(slack().length, 2, 'a paused monitor is not reminded of');
    });
  });
}
