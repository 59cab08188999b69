/**
 * Judged per key (issue 15): a fan-out job's tenants and a queue job's organisations each have
 * their own `job:no-success` and their own failure incidents. Real engine, RunWatch, JobWatch, the
 * Alerter and the outbox to a loopback Slack; queue items go through `planQueueItem` and the real
 * `QueueDrainer`; the clock is injected.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runIncidentKey } from '../../src/alerts/index.ts';
import { QueueDrainer, planQueueItem } from '../../src/queue/index.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { startAlertHarness } from './alert-harness.ts';
import type { AlertHarness } from './alert-harness.ts';

const t0 = Date.UTC(2026, 2, 14, 2, 0, 0);
const hour = 3_600_000;

/** The jobs of docs/watchers.md's per-key sample, with its channel pointed at the receiver. */
function jobFile(receiver: string): string {
  const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/watchers.md'), 'utf8');
  const sample = markedBlocks(doc).find((block) => block.marker === 'sample: per-key');
  assert.ok(sample, 'docs/watchers.md has no per-key sample');
  const jobs = sample.text.slice(sample.text.indexOf('\njobs:\n') + 1);
  assert.match(jobs, /^jobs:\n {2}eval:/);
  return `version: 1
defaults:
  notify: { failure: [ops], missed: [ops], recovery: [ops] }
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x", url: "${receiver}/slack" } }
${jobs}`;
}

function slackTexts(h: AlertHarness): string[] {
  return h.sent('/slack').map((request) => request.body);
}

export function definePerKeySuite(storeName: string, makeStore: StoreFactory): void {
  describe(`judged per key on ${storeName}`, () => {
    let receiver: HttpReceiver;
    before(async () => {
      receiver = await startHttpReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    async function withHarness(body: (h: AlertHarness, enqueue: Enqueue) => Promise<void>): Promise<void> {
      receiver.requests.length = 0;
      const config = configOf(jobFile(receiver.url));
      const h = await startAlertHarness(makeStore, config, receiver, { start: t0 });
      const drainer = new QueueDrainer({
        store: h.store,
        clock: h.clock,
        node: 'node-a',
        logger: silentLogger,
        // The test releases each item itself: the continuous poll waits a year.
        pollMs: 365 * 86_400_000,
        onReleased: () => void h.engine.worker.runsQueued(),
      });
      await drainer.start(config.jobs);
      const queueJob = config.jobs.find((job) => job.name === 'audit-queue');
      assert.ok(queueJob);
      const enqueue: Enqueue = async (organization) => {
        const result = await h.store.insertRuns([
          planQueueItem(queueJob, h.clock.now(), {
            payload: { organization_id: organization, batch: 'b-1' },
            requestedBy: 'test',
          }),
        ]);
        const [item] = result.inserted;
        assert.ok(item);
        assert.deepEqual(await drainer.drain('audit-queue'), [item.id]);
        return h.ended(item.id);
      };
      try {
        await body(h, enqueue);
      } finally {
        await drainer.release();
        await h.release();
      }
    }

    async function trigger(h: AlertHarness, tenant: string): Promise<RunRecord> {
      const [run] = await h.engine.trigger({ job: 'eval', params: { fan_key: tenant } });
      assert.ok(run);
      assert.equal(run.fanKey, tenant);
      return h.ended(run.id);
    }

    async function open(h: AlertHarness, kind: 'job:no-success' | 'run:failed', job: string, key = '') {
      return h.store.getOpenEvent(runIncidentKey(kind, job, key));
    }

    it('raises job:no-success for the tenant that never succeeds while the other succeeds, and its own success resolves it', async () => {
      await withHarness(async (h) => {
        for (let day = 0; day < 3; day++) {
          await trigger(h, 'tenant_a');
          h.work.script.push({ outcome: 'failure', exitCode: 1, error: 'exit code 1' });
          await trigger(h, 'tenant_b');
          h.clock.advance(20 * hour);
        }
        await h.jobWatch.check();
        await h.outbox.drain();
        const b = await open(h, 'job:no-success', 'eval', 'tenant_b');
        assert.equal(b?.kind, 'job:no-success');
        assert.equal(b?.job, 'eval');
        assert.equal((b?.details as Record<string, unknown>)['fan_key'], 'tenant_b');
        assert.equal(await open(h, 'job:no-success', 'eval', 'tenant_a'), undefined);
        assert.equal(await open(h, 'job:no-success', 'eval'), undefined, 'no incident of the job as a whole');
        assert.ok(slackTexts(h).some((text) => text.includes('eval [tenant_b] has not succeeded in 48h')));

        await trigger(h, 'tenant_a');
        assert.notEqual(
          await open(h, 'job:no-success', 'eval', 'tenant_b'),
          undefined,
          "tenant_a's success is not tenant_b's",
        );
        await trigger(h, 'tenant_b');
        assert.equal(await open(h, 'job:no-success', 'eval', 'tenant_b'), undefined);
        assert.ok(slackTexts(h).some((text) => text.includes('eval [tenant_b] succeeded again')));
      });
    });

    it('counts a tenant added by a reload from the reload, not from the start', async () => {
      await withHarness(async (h) => {
        h.clock.advance(30 * hour);
        const wider = configOf(
          jobFile(receiver.url).replace('[tenant_a, tenant_b]', '[tenant_a, tenant_b, tenant_c]'),
        );
        await h.jobWatch.reload(wider);
        h.clock.advance(20 * hour);
        await h.jobWatch.check();
        assert.notEqual(await open(h, 'job:no-success', 'eval', 'tenant_a'), undefined);
        assert.notEqual(await open(h, 'job:no-success', 'eval', 'tenant_b'), undefined);
        assert.equal(await open(h, 'job:no-success', 'eval', 'tenant_c'), undefined, 'added 20h ago');
        h.clock.advance(29 * hour);
        await h.jobWatch.check();
        assert.notEqual(await open(h, 'job:no-success', 'eval', 'tenant_c'), undefined);
      });
    });

    it("keeps one tenant's failure open through the other tenant's success", async () => {
      await withHarness(async (h) => {
        h.work.script.push({ outcome: 'failure', exitCode: 1, error: 'exit code 1' });
        await trigger(h, 'tenant_a');
        h.clock.advance(1000);
        await trigger(h, 'tenant_b');
        assert.notEqual(await open(h, 'run:failed', 'eval', 'tenant_a'), undefined);
        h.clock.advance(1000);
        await trigger(h, 'tenant_a');
        assert.equal(await open(h, 'run:failed', 'eval', 'tenant_a'), undefined);
      });
    });

    it("ends a tenant's lost run with that tenant's success, not another's", async () => {
      await withHarness(async (h) => {
        // A run of tenant_a that another node claimed, whose lease then ran out (the node died).
        const [run] = (
          await h.store.insertRuns([
            {
              job: 'eval',
              fanKey: 'tenant_a',
              params: { tenant_id: 'tenant_a' },
              trigger: 'manual',
              scheduledAt: h.clock.now(),
              queuedAt: h.clock.now(),
              runAfter: h.clock.now() + hour,
            },
          ])
        ).inserted;
        assert.ok(run);
        const [claimed] = await h.store.claimRuns({
          node: 'node-dead',
          now: h.clock.now() + hour,
          limit: 1,
          leaseMs: 1000,
          runIds: [run.id],
        });
        assert.equal(claimed?.id, run.id);
        h.clock.advance(hour + 60_000);
        await h.engine.sweepLostRuns();
        await waitFor('the loss recorded', () => h.store.getOpenEvent(`run:lost:${run.id}`));
        await waitFor('its failure judged', () => open(h, 'run:failed', 'eval', 'tenant_a'));
        await trigger(h, 'tenant_b');
        assert.notEqual(await h.store.getOpenEvent(`run:lost:${run.id}`), undefined, "tenant_b's success");
        assert.notEqual(await open(h, 'run:failed', 'eval', 'tenant_a'), undefined);
        await trigger(h, 'tenant_a');
        assert.equal(await h.store.getOpenEvent(`run:lost:${run.id}`), undefined);
        assert.equal(await open(h, 'run:failed', 'eval', 'tenant_a'), undefined);
      });
    });

    it("keeps one organisation's queue failure open through another organisation's success a second later", async () => {
      await withHarness(async (h, enqueue) => {
        h.work.script.push({ outcome: 'failure', exitCode: 2, error: 'exit code 2' });
        const failed = await enqueue('acme');
        assert.equal(failed.status, 'failed');
        assert.equal(failed.rateKey, 'acme');
        const opened = await open(h, 'run:failed', 'audit-queue', 'acme');
        assert.equal(opened?.runId, failed.id);
        assert.equal((opened?.details as Record<string, unknown>)['organization_id'], 'acme');
        assert.equal(await open(h, 'run:failed', 'audit-queue'), undefined);
        assert.match(slackTexts(h)[0] ?? '', /audit-queue \[acme\] failed: exit code 2/);

        h.clock.advance(1000);
        const other = await enqueue('globex');
        assert.equal(other.status, 'succeeded');
        assert.notEqual(
          await open(h, 'run:failed', 'audit-queue', 'acme'),
          undefined,
          "globex's success is not acme's",
        );
        assert.equal(slackTexts(h).length, 1, 'no recovery was told');

        h.clock.advance(1000);
        await enqueue('acme');
        assert.equal(await open(h, 'run:failed', 'audit-queue', 'acme'), undefined);
        assert.match(slackTexts(h)[1] ?? '', /audit-queue \[acme\] recovered/);
      });
    });

    it('raises job:no-success for the organisation whose items keep failing while another succeeds, and not for one with nothing to do', async () => {
      await withHarness(async (h, enqueue) => {
        // initech succeeds once and then has no more items: nothing is expected of it.
        await enqueue('initech');
        for (let i = 0; i < 3; i++) {
          h.work.script.push({ outcome: 'failure', exitCode: 2, error: 'exit code 2' });
          await enqueue('acme');
          await enqueue('globex');
          h.clock.advance(20 * hour);
        }
        await h.jobWatch.check();
        await h.outbox.drain();
        const acme = await open(h, 'job:no-success', 'audit-queue', 'acme');
        assert.equal(acme?.kind, 'job:no-success');
        assert.equal((acme?.details as Record<string, unknown>)['organization_id'], 'acme');
        assert.equal(await open(h, 'job:no-success', 'audit-queue', 'globex'), undefined);
        assert.equal(await open(h, 'job:no-success', 'audit-queue', 'initech'), undefined);
        assert.equal(await open(h, 'job:no-success', 'audit-queue'), undefined);
        assert.ok(slackTexts(h).some((text) => text.includes('audit-queue [acme] has not succeeded in 48h')));

        await enqueue('globex');
        assert.notEqual(await open(h, 'job:no-success', 'audit-queue', 'acme'), undefined);
        await enqueue('acme');
        assert.equal(await open(h, 'job:no-success', 'audit-queue', 'acme'), undefined);
      });
    });

    it('judges a job without keys as a whole, as before', async () => {
      await withHarness(async (h) => {
        h.clock.advance(49 * hour);
        await h.jobWatch.check();
        const whole = await open(h, 'job:no-success', 'nightly');
        assert.equal(whole?.kind, 'job:no-success');
        assert.equal(Object.hasOwn(whole?.details as object, 'fan_key'), false);
        await h.runOnce('nightly');
        assert.equal(await open(h, 'job:no-success', 'nightly'), undefined);
      });
    });
  });
}

type Enqueue = (organization: string) => Promise<RunRecord>;
