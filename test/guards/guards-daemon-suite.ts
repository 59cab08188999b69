/**
 * Guards end to end: a real Daemon (manual clock) runs a command job per tenant that prints its
 * numbers as a JSON line; the daemon's GuardWatch judges them and the Alerter tells a Slack
 * channel on a loopback receiver.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Daemon } from '../../src/daemon/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { LogCapture } from '../api/api-harness.ts';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { waitFor } from '../support/engine-harness.ts';
import { HOUR, T0 } from './guard-fixtures.ts';

function jobFile(receiver: string, folder: string): string {
  return `version: 1
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x", url: "${receiver}/slack" } }
jobs:
  ai-mkt-eval:
    schedule: "0 2 1 1 *"
    for_each: { tenant_id: [tenant_a, tenant_b] }
    run: [sh, -c, "cat ${folder}/numbers/{tenant_id}.json"]
    guards:
      refusal_spike: { metric: refusal_rate, rise_by: 0.05, per_key: true }
    notify: { guard: [ops], recovery: [ops] }
`;
}

export function defineGuardsDaemonSuite(name: string, makeStoreUrl: () => Promise<string>): void {
  describe(`guards in a daemon on ${name}`, () => {
    let receiver: HttpReceiver;
    before(async () => {
      receiver = await startHttpReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    it('raises guard:refusal_spike to Slack for the tenant whose printed refusal rate spiked, once per cool-down, and resolves it', async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-guards-'));
      const configFile = path.join(folder, 'cronplane.yaml');
      writeFileSync(configFile, jobFile(receiver.url, folder));
      mkdirSync(path.join(folder, 'numbers'));
      const clock = manualClock(T0);
      const logs = new LogCapture();
      const daemon = await Daemon.start({
        configFile,
        env: {},
        storeUrl: await makeStoreUrl(),
        logger: logs.logger,
        clock,
        node: 'guard-node',
        listen: 'off',
        delivery: {
          policy: { attempts: 1, delayMs: 5, factor: 1, maxDelayMs: 5, jitter: 0, attemptTimeoutMs: 2000 },
        },
      });
      const checked = (run: RunRecord): boolean =>
        logs.lines.some(
          (line) => line.includes('"msg":"guards checked"') && line.includes(`"run":${run.id},`),
        );

      /** One fire for both tenants: each prints its numbers; waits until the guards judged both. */
      async function night(refusal: { tenant_a: number | string; tenant_b: number }): Promise<void> {
        writeFileSync(
          path.join(folder, 'numbers/tenant_a.json'),
          `starting\n${JSON.stringify({ refusal_rate: refusal.tenant_a, rows: 40 })}\n`,
        );
        writeFileSync(
          path.join(folder, 'numbers/tenant_b.json'),
          `${JSON.stringify({ refusal_rate: refusal.tenant_b })}\n`,
        );
        const runs = await daemon.engine.trigger({ job: 'ai-mkt-eval' });
        assert.equal(runs.length, 2);
        await waitFor('both runs judged', () => runs.every(checked), 15_000);
        // Judged is not yet told: the run end's incidents go out after its last check.
        await daemon.engine.runEndsTold();
        await daemon.outbox.drain();
      }
      const slack = (): string[] =>
        receiver.requests.filter((request) => request.path === '/slack').map((request) => request.body);

      try {
        receiver.requests.length = 0;
        for (let day = 0; day < 3; day++) {
          clock.set(T0 + day * HOUR);
          await night({ tenant_a: 0.02, tenant_b: 0.2 });
        }
        assert.deepEqual(slack(), [], 'tenant_b’s usual 0.2 is no spike beside tenant_a’s 0.02');

        clock.set(T0 + 5 * HOUR);
        await night({ tenant_a: 0.12, tenant_b: 0.21 });
        assert.equal(slack().length, 1);
        assert.match(slack()[0] ?? '', /ai-mkt-eval: guard refusal_spike tripped for tenant_a/);
        assert.match(
          slack()[0] ?? '',
          /refusal_rate rose by 0\.1 to 0\.12 against the mean of the last 3 successful runs \(0\.02\), more than 0\.05/,
        );
        const [event] = (
          await daemon.store.listEvents({ dedupKey: 'guard:ai-mkt-eval:refusal_spike:tenant_a' })
        ).events;
        assert.equal(event?.kind, 'guard:refusal_spike');
        assert.equal(event?.severity, 'warning');
        assert.deepEqual((await daemon.store.listEvents({ kind: 'guard:refusal_spike' })).events.length, 1);

        // Within the 24 h default cool-down: nothing new, not even a repeat counted.
        clock.set(T0 + 11 * HOUR);
        await night({ tenant_a: 0.3, tenant_b: 0.2 });
        assert.equal(slack().length, 1);
        assert.ok(logs.text.includes('guard tripped within its cool-down: not raised again'));
        const [cooling] = (await daemon.store.listEvents({ dedupKey: event!.dedupKey })).events;
        assert.equal(cooling?.count, 1);

        // A run that printed no number judges nothing; an unparseable value is no number.
        clock.set(T0 + 12 * HOUR);
        await night({ tenant_a: 'high', tenant_b: 0.2 });
        assert.equal((await daemon.store.getOpenEvent(event!.dedupKey))?.count, 1);

        // Back to normal: resolved, and Slack hears of it (recovery: [ops]).
        clock.set(T0 + 13 * HOUR);
        await night({ tenant_a: 0.02, tenant_b: 0.2 });
        assert.equal(await daemon.store.getOpenEvent(event!.dedupKey), undefined);
        assert.equal(slack().length, 2);
        assert.match(slack()[1] ?? '', /guard refusal_spike passed again for tenant_a/);

        // After the cool-down, a new spike opens a new event and tells Slack again.
        clock.set(T0 + 5 * HOUR + 24 * HOUR);
        await night({ tenant_a: 0.5, tenant_b: 0.2 });
        assert.equal(slack().length, 3);
        const events = (await daemon.store.listEvents({ dedupKey: event!.dedupKey })).events;
        assert.equal(events.length, 2);
      } finally {
        await daemon.stop(1000);
      }
    });
  });
}
