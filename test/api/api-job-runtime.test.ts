/**
 * Jobs defined through the API at run time, like the file's: their `notify:` routes reach real
 * channels on loopback (and follow a change), their queue items are drained, and `after:` chains
 * cross between the file's jobs and the API's; on both stores, real processes.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { describeWithDaemonOnEachStore } from './describe-with-daemon.ts';

/** Waits for `check` to hold, looking every 50 ms, for at most `ms` (integration only). */
async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition did not hold in time');
    await sleep(50);
  }
}

/** Two webhook receivers per store's daemon (started before it, closed before its store). */
let first: HttpReceiver | undefined;
let second: HttpReceiver | undefined;

const yamlOf = (): string => `version: 1
alerts: { group_window: 0s }
channels:
  first:
    webhook:
      url: ${first?.url ?? ''}/first
  second:
    webhook:
      url: ${second?.url ?? ''}/second
jobs:
  file-upstream:
    run: "true"
`;

/** The webhook bodies a receiver got that name `job`. */
function toldOf(receiver: HttpReceiver | undefined, job: string): unknown[] {
  return (receiver?.requests ?? []).filter((request) => request.body.includes(job)).map((r) => r.body);
}

describeWithDaemonOnEachStore(
  (store) => `API jobs at run time, like the file's, on ${store}`,
  {
    get yaml() {
      return yamlOf();
    },
    beforeDaemon: async () => {
      first = await startHttpReceiver();
      second = await startHttpReceiver();
    },
  },
  (rig) => {
    after(async () => {
      await first?.close();
      await second?.close();
    });
    const runsOf = async (job: string): Promise<{ status: string; trigger: string }[]> =>
      (await rig.api.request('GET', `/api/runs?job=${job}&limit=100`)).body.runs;

    it('notifies the channels of an API job’s notify: map when it fails, and follows a change of it', async () => {
      // The receivers serve both stores' daemons: each store's job has its own name.
      const job = `api-failing-${rig.storeName}`;
      const put = await rig.api.request('PUT', `/api/jobs/${job}`, {
        json: { run: 'exit 3', notify: { failure: ['first'] } },
      });
      assert.equal(put.status, 201, put.text);
      await rig.api.request('POST', `/api/jobs/${job}/trigger`, { json: {} });
      await eventually(() => toldOf(first, job).length >= 1);
      assert.equal(toldOf(second, job).length, 0);

      // Routed elsewhere now: a success ends the incident, and the next failure goes the new way.
      const patched = await rig.api.request('PATCH', `/api/jobs/${job}`, {
        json: { run: 'true', notify: { failure: ['second'] } },
      });
      assert.equal(patched.status, 200, patched.text);
      await rig.api.request('POST', `/api/jobs/${job}/trigger`, { json: {} });
      await eventually(async () => (await runsOf(job)).some((run) => run.status === 'succeeded'));
      await rig.api.request('PATCH', `/api/jobs/${job}`, { json: { run: 'exit 4' } });
      await rig.api.request('POST', `/api/jobs/${job}/trigger`, { json: {} });
      await eventually(() => toldOf(second, job).length >= 1);
      assert.equal(toldOf(first, job).length, 1);
    });

    it('drains the items enqueued for a queue job defined through the API', async () => {
      const put = await rig.api.request('PUT', '/api/jobs/api-queue', {
        json: { run: 'true', queue: { max_per_run: 5 } },
      });
      assert.equal(put.status, 201, put.text);
      const enqueued = await rig.api.request('POST', '/api/jobs/api-queue/queue', {
        json: { payload: { item: 1 } },
      });
      assert.equal(enqueued.status, 202, enqueued.text);
      await eventually(async () => (await runsOf('api-queue')).some((run) => run.status === 'succeeded'));
    });

    it('stops draining a queue job once it is deleted', async () => {
      await rig.api.request('PUT', '/api/jobs/api-queue-gone', { json: { run: 'true', queue: {} } });
      await rig.api.request('DELETE', '/api/jobs/api-queue-gone');
      assert.equal(
        (await rig.api.request('POST', '/api/jobs/api-queue-gone/queue', { json: { payload: {} } })).status,
        404,
      );
    });

    it('chains an API job after a file job, and an API job after another API job', async () => {
      const downstream = await rig.api.request('PUT', '/api/jobs/api-after-file', {
        json: { run: 'true', after: ['file-upstream'] },
      });
      assert.equal(downstream.status, 201, downstream.text);
      await rig.api.request('POST', '/api/jobs/file-upstream/trigger', { json: {} });
      await eventually(async () =>
        (await runsOf('api-after-file')).some((run) => run.trigger === 'chain' && run.status === 'succeeded'),
      );

      // Both in one batch: an entry may name another of the same batch.
      const batch = await rig.api.request('PUT', '/api/jobs', {
        json: [
          { name: 'api-downstream', entry: { run: 'true', after: ['api-upstream'] } },
          { name: 'api-upstream', entry: { run: 'true' } },
        ],
      });
      assert.equal(batch.status, 200, batch.text);
      await rig.api.request('POST', '/api/jobs/api-upstream/trigger', { json: {} });
      await eventually(async () =>
        (await runsOf('api-downstream')).some((run) => run.trigger === 'chain' && run.status === 'succeeded'),
      );
    });

    it('refuses an after: naming no job, at /after/0, and writes nothing', async () => {
      const bad = await rig.api.request('PUT', '/api/jobs/api-after-nothing', {
        json: { run: 'true', after: ['no-such-job'] },
      });
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.body.error.message, /^\/after\/0: no job named "no-such-job"/);
      assert.equal((await rig.api.request('GET', '/api/jobs/api-after-nothing')).status, 404);
      const self = await rig.api.request('PUT', '/api/jobs/api-self', {
        json: { run: 'true', after: ['api-self'] },
      });
      assert.match(self.body.error.message, /^\/after\/0: a job cannot run after itself/);
      await rig.api.request('PUT', '/api/jobs/api-ring-a', { json: { run: 'true' } });
      await rig.api.request('PUT', '/api/jobs/api-ring-b', { json: { run: 'true', after: ['api-ring-a'] } });
      const ring = await rig.api.request('PATCH', '/api/jobs/api-ring-a', {
        json: { after: ['api-ring-b'] },
      });
      assert.equal(ring.status, 400, ring.text);
      assert.match(
        ring.body.error.message,
        /^\/after\/0: jobs run after each other in a cycle: api-ring-a -> api-ring-b -> api-ring-a/,
      );
    });
  },
);
