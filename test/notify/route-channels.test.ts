import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotifyMap } from '../../src/notify/index.ts';
import { routeChannels } from '../../src/notify/index.ts';
import { channel } from './fixtures.ts';

const channels = new Map([
  ['ops', channel('ops', { slack: { webhook_url: 'https://hooks.slack.com/services/T0/B0/XXXX' } })],
  ['pager', channel('pager', { pagerduty: { routing_key: 'routing-key-1234' } })],
  ['mail', channel('mail', { email: { to: 'ops@example.com', smtp_url: 'smtp://localhost:25' } })],
]);
const notify: NotifyMap = {
  failure: ['ops'],
  critical: ['pager', 'ops'],
  guard: ['mail'],
  recovery: ['ops'],
  down: ['pager'],
  up: ['mail'],
};

describe('routing', () => {
  it('sends a failure where failure points and a critical where critical points, each channel once', () => {
    assert.deepEqual(
      routeChannels(notify, { kind: 'trigger', event: 'failure', severity: 'failure' }, channels),
      ['ops'],
    );
    assert.deepEqual(
      routeChannels(notify, { kind: 'trigger', event: 'critical', severity: 'critical' }, channels),
      ['pager', 'ops'],
    );
  });

  it('also routes an event by its severity: a critical guard reaches the critical channels', () => {
    assert.deepEqual(
      routeChannels(notify, { kind: 'trigger', event: 'guard', severity: 'warning' }, channels),
      ['mail'],
    );
    assert.deepEqual(
      routeChannels(notify, { kind: 'trigger', event: 'guard', severity: 'critical' }, channels),
      ['mail', 'pager', 'ops'],
    );
  });

  it('sends a critical where failure points when critical is not routed at all', () => {
    assert.deepEqual(
      routeChannels(
        { failure: ['ops'] },
        { kind: 'trigger', event: 'critical', severity: 'critical' },
        channels,
      ),
      ['ops'],
    );
    assert.deepEqual(
      routeChannels(
        { failure: ['ops'], critical: [] },
        { kind: 'trigger', event: 'critical', severity: 'critical' },
        channels,
      ),
      [],
    );
  });

  it('resolves on the recovery channels and on every PagerDuty channel the trigger reached', () => {
    assert.deepEqual(
      routeChannels(notify, { kind: 'resolve', event: 'critical', severity: 'critical' }, channels),
      ['ops', 'pager'],
    );
    assert.deepEqual(
      routeChannels(
        { critical: ['pager'] },
        { kind: 'resolve', event: 'critical', severity: 'critical' },
        channels,
      ),
      ['pager'],
    );
    assert.deepEqual(
      routeChannels(
        { failure: ['ops'] },
        { kind: 'resolve', event: 'failure', severity: 'failure' },
        channels,
      ),
      [],
    );
  });

  it("resolves a monitor's down on its up channels (and the pager it paged)", () => {
    assert.deepEqual(routeChannels(notify, { kind: 'resolve', event: 'down' }, channels), ['mail', 'pager']);
  });

  it('routes nothing for an event nobody listens to', () => {
    assert.deepEqual(
      routeChannels(notify, { kind: 'trigger', event: 'stuck', severity: 'info' }, channels),
      [],
    );
  });
});
