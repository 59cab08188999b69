/**
 * Seed 004 end to end: an application enqueues AI-audit batches through the API; the
 * `process-audit-queue` job drains them oldest first, one batch per organisation at a time; a
 * batch that hangs past max_runtime is reported stuck; every result is visible through the API.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { waitFor } from '../support/engine-harness.ts';
import type { ApiDaemon } from './api-harness.ts';
import { startApiDaemon } from './api-harness.ts';
import type { FreshStore } from './api-fixtures.ts';

const job = 'process-audit-queue';

/** The seed's job file (examples/ai-audit-queue), with a 1 s cadence and a 2 s max_runtime for the test. */
const yaml = `version: 1
jobs:
  ${job}:
    schedule: every 1s
    queue: { key: organization_id, per_key: 1, max_per_run: 20 }
    concurrency: forbid
    max_runtime: 2s
    run: [sh, -c, 'batch=$(cat); case "$batch" in *hang*) sleep 30;; esac; sleep 0.3; echo "processed $batch"']
`;

interface RunView {
  readonly id: number;
  readonly status: string;
  readonly rateKey: string | null;
  readonly held: boolean;
  readonly runAfter: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly payload: { readonly organization_id: string; readonly batch_id: string } | null;
}

export function defineQueueFlow(storeName: string, freshStore: FreshStore): void {
  describe(`enqueued work (seed 004) on ${storeName}`, () => {
    let api: ApiDaemon | undefined;
    after(async () => {
      await api?.stop();
    });

    it('drains batches oldest first, one per organisation at a time, reports a hung batch stuck, and shows it all through the API', async () => {
      api = await startApiDaemon({ yaml, storeUrl: await freshStore() });
      const created = await api.request('POST', '/api/tokens', {
        json: { name: 'gepp-backend', scope: 'trigger', jobs: [job] },
      });
      const token = created.body.token as string;
      const enqueue = async (organization: string, batch: string): Promise<RunView> => {
        const answer = await api!.request('POST', `/api/jobs/${job}/queue`, {
          token,
          json: { payload: { organization_id: organization, batch_id: batch } },
        });
        assert.equal(answer.status, 202, answer.text);
        return answer.body.run as RunView;
      };
      const a1 = await enqueue('org-a', 'batch-1');
      const b2 = await enqueue('org-b', 'batch-2-hang');
      const a3 = await enqueue('org-a', 'batch-3');
      const b4 = await enqueue('org-b', 'batch-4');
      assert.equal(a1.held, true, 'an item waits for a fire of the job');
      assert.equal(a1.status, 'held');
      assert.equal(a1.rateKey, 'org-a');
      assert.equal(a1.runAfter, null);

      const missingKey = await api.request('POST', `/api/jobs/${job}/queue`, {
        token,
        json: { payload: { batch_id: 'x' } },
      });
      assert.equal(missingKey.status, 400);
      assert.equal(missingKey.body.error.path, 'body.payload.organization_id');

      const run = async (id: number): Promise<RunView> =>
        (await api!.request('GET', `/api/runs/${id}`, { token })).body.run;
      const stuck = await waitFor(
        'the hung batch reported stuck',
        async () => {
          const events = await api!.request('GET', `/api/events?job=${job}&kind=run:stuck`, { token });
          return events.body.events.find((event: { runId: number }) => event.runId === b2.id);
        },
        15_000,
      );
      assert.equal(stuck.severity, 'warning');
      assert.equal(stuck.details.maxRuntimeMs, 2000);
      assert.equal(stuck.resolvedAt, null);
      await waitFor(
        'batch-3 done',
        async () => ((await run(a3.id)).status === 'succeeded' ? true : undefined),
        15_000,
      );

      const queue = await api.request('GET', `/api/jobs/${job}/queue`, { token });
      assert.equal(queue.status, 200);
      assert.deepEqual(queue.body.limits, { key: 'organization_id', perKey: 1, maxPerRun: 20 });
      assert.deepEqual(
        queue.body.next.map((item: RunView) => item.id),
        [b4.id],
        'org-b has batch-2 in progress, so batch-4 waits',
      );
      assert.equal(queue.body.next[0]?.status, 'held');
      assert.deepEqual(
        queue.body.keys.find((key: { key: string }) => key.key === 'org-b'),
        { key: 'org-b', waiting: 1, released: 0, running: 1 },
      );
      assert.equal((await run(b2.id)).status, 'running');

      // The operator cancels the hung batch: org-b's next batch goes at the next fire.
      assert.equal((await api.request('POST', `/api/runs/${b2.id}/cancel`)).status, 200);
      await waitFor(
        'batch-4 done',
        async () => ((await run(b4.id)).status === 'succeeded' ? true : undefined),
        15_000,
      );
      await waitFor('the stuck event resolved', async () => {
        const events = await api!.request('GET', `/api/events?job=${job}&kind=run:stuck`, { token });
        return events.body.events.find(
          (event: { runId: number; resolvedAt: string | null }) =>
            event.runId === b2.id && event.resolvedAt !== null,
        );
      });

      const [r1, r2, r3, r4] = await Promise.all([a1, b2, a3, b4].map((item) => run(item.id)));
      assert.ok(r1 && r2 && r3 && r4);
      assert.deepEqual(
        [r1, r2, r3, r4].map((item) => item.status),
        ['succeeded', 'cancelled', 'succeeded', 'succeeded'],
      );
      // Oldest first: batch-1 and batch-2 went out at the first fire; batch-3 only after batch-1 ended.
      assert.equal(r1.runAfter, r2.runAfter, 'released by the same fire');
      assert.ok(Date.parse(r3.runAfter ?? '') > Date.parse(r1.runAfter ?? ''));
      assert.ok(
        Date.parse(r3.startedAt ?? '') >= Date.parse(r1.finishedAt ?? ''),
        'one org-a batch at a time',
      );
      assert.ok(
        Date.parse(r4.startedAt ?? '') >= Date.parse(r2.finishedAt ?? ''),
        'one org-b batch at a time',
      );

      // Each item's journal: created held, released (pending), claimed, ended; the cancelled one
      // went from running to cancelled.
      for (const [item, path] of [
        [a1, ['held', 'pending', 'running', 'succeeded']],
        [b2, ['held', 'pending', 'running', 'cancelled']],
      ] as const) {
        const detail = await api.request('GET', `/api/runs/${item.id}`, { token });
        assert.deepEqual(
          detail.body.transitions.map((transition: { to: string }) => transition.to),
          path,
        );
      }

      const listed = await api.request('GET', `/api/runs?job=${job}&trigger=api`, { token });
      assert.deepEqual(
        listed.body.runs.map((item: RunView) => item.payload?.batch_id),
        ['batch-4', 'batch-3', 'batch-2-hang', 'batch-1'],
      );
      const logs = await api.request('GET', `/api/runs/${a1.id}/logs`, { token });
      assert.equal(
        logs.body.chunks.map((chunk: { text: string }) => chunk.text).join(''),
        'processed {"organization_id":"org-a","batch_id":"batch-1"}\n',
      );
      const metrics = await api.request('GET', '/metrics', { token: null });
      assert.match(
        metrics.text,
        new RegExp(`^cronplane_queue_items\\{job="${job}",state="waiting"\\} 0$`, 'm'),
      );
      const audit = await api.request('GET', `/api/audit?actor=gepp-backend`);
      assert.equal(audit.body.entries.length, 4, 'each enqueue is in the audit log under the token name');
    });
  });
}
