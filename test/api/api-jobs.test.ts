/** Jobs defined through the API: PUT, PATCH, DELETE, bulk PUT, versions, ETag and If-Match, on both stores. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeWithDaemonOnEachStore } from './describe-with-daemon.ts';
import { startApiDaemon } from './api-harness.ts';
import type { ApiDaemon } from './api-harness.ts';

const yaml = `version: 1
defaults:
  timezone: Europe/Paris
channels:
  ops:
    webhook:
      url: http://127.0.0.1:9/hook
jobs:
  from-file:
    schedule: "@daily"
    run: "true"
`;

/** Waits for `check` to hold, looking every 50 ms, for at most `ms` (integration only). */
async function eventually(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('the condition did not hold in time');
    await sleep(50);
  }
}

describeWithDaemonOnEachStore(
  (store) => `API jobs on ${store}`,
  { yaml },
  (rig) => {
    it('creates a job from a job-file entry, with the file defaults, an ETag and source api', async () => {
      const put = await rig.api.request('PUT', '/api/jobs/project-1', {
        json: { schedule: 'every 6h', run: 'echo one', notify: { failure: ['ops'] } },
      });
      assert.equal(put.status, 201, put.text);
      assert.equal(put.body.change, 'created');
      assert.equal(put.body.job.source, 'api');
      assert.equal(put.body.job.version, 1);
      assert.equal(put.body.job.timezone, 'Europe/Paris');
      assert.equal(put.headers['etag'], '"1"');
      const got = await rig.api.request('GET', '/api/jobs/project-1');
      assert.equal(got.headers['etag'], '"1"');
      assert.equal(got.body.job.source, 'api');
      const file = await rig.api.request('GET', '/api/jobs/from-file');
      assert.equal(file.body.job.source, 'file');
      assert.equal(file.headers['etag'], undefined);
      assert.notEqual(rig.api.daemon.engine.scheduler.nextFireOf('project-1'), null);
    });

    it('answers the same entry again as unchanged, without a new version', async () => {
      const entry = { run: 'echo same', schedule: '@hourly' };
      await rig.api.request('PUT', '/api/jobs/same', { json: entry });
      const again = await rig.api.request('PUT', '/api/jobs/same', {
        json: { schedule: '@hourly', run: 'echo same' },
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.change, 'unchanged');
      assert.equal(again.headers['etag'], '"1"');
      const versions = await rig.api.request('GET', '/api/jobs/same/versions');
      assert.equal(versions.body.versions.length, 1);
    });

    it('locates problems by JSON pointer, with the job file’s own checks', async () => {
      const bad = await rig.api.request('PUT', '/api/jobs/bad', {
        json: { schedule: 'Mon *-*-* 25:00', run: 'x' },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'api.invalid');
      assert.match(bad.body.error.message, /^\/schedule: .*Invalid OnCalendar expression.*at position/);
      const channel = await rig.api.request('PUT', '/api/jobs/bad', {
        json: { schedule: '@hourly', run: 'x', notify: { failure: ['nope'] } },
      });
      assert.equal(channel.status, 400);
      assert.match(
        channel.body.error.message,
        /^\/notify\/failure\/0: no channel named "nope" \(declared: ops\)/,
      );
      const typed = await rig.api.request('PUT', '/api/jobs/bad', {
        json: { schedule: '@hourly', run: 'x', retry: { attempts: 'x' } },
      });
      assert.match(typed.body.error.message, /^\/retry\/attempts: /);
      assert.equal((await rig.api.request('GET', '/api/jobs/bad')).status, 404);
    });

    it('refuses to write a job of the job file, naming the file', async () => {
      const put = await rig.api.request('PUT', '/api/jobs/from-file', {
        json: { schedule: '@hourly', run: 'x' },
      });
      assert.equal(put.status, 409);
      assert.equal(put.body.error.code, 'api.file-job');
      assert.match(put.body.error.message, /cronplane\.yaml/);
      const del = await rig.api.request('DELETE', '/api/jobs/from-file');
      assert.equal(del.status, 409);
    });

    it('writes with If-Match only at the version in force (412 otherwise)', async () => {
      await rig.api.request('PUT', '/api/jobs/cas', { json: { schedule: '@hourly', run: 'echo 1' } });
      const stale = await rig.api.request('PUT', '/api/jobs/cas', {
        json: { schedule: '@hourly', run: 'echo 2' },
        headers: { 'if-match': '"7"' },
      });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.code, 'api.version-mismatch');
      const ok = await rig.api.request('PUT', '/api/jobs/cas', {
        json: { schedule: '@hourly', run: 'echo 2' },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['etag'], '"2"');
      const createOnly = await rig.api.request('PUT', '/api/jobs/cas', {
        json: { schedule: '@hourly', run: 'echo 3' },
        headers: { 'if-match': '"0"' },
      });
      assert.equal(createOnly.status, 412);
    });

    it('patches an entry as a JSON merge patch, and deletes as a version of its own', async () => {
      await rig.api.request('PUT', '/api/jobs/patched', {
        json: { schedule: '@hourly', run: 'echo 1', description: 'first' },
      });
      const patched = await rig.api.request('PATCH', '/api/jobs/patched', {
        json: { schedule: 'every 2h', description: null },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body.job.schedules, ['every 2h']);
      assert.equal(patched.body.job.description, null);
      assert.equal(patched.body.job.version, 2);
      const deleted = await rig.api.request('DELETE', '/api/jobs/patched', {
        headers: { 'if-match': '"2"' },
      });
      assert.deepEqual(deleted.body, { name: 'patched', change: 'deleted', version: 3 });
      assert.equal((await rig.api.request('GET', '/api/jobs/patched')).status, 404);
      assert.equal(rig.api.daemon.engine.scheduler.nextFireOf('patched'), null);
      assert.equal((await rig.api.request('DELETE', '/api/jobs/patched')).status, 404);
      const versions = await rig.api.request('GET', '/api/jobs/patched/versions');
      assert.deepEqual(
        versions.body.versions.map((version: { version: number; change: string }) => [
          version.version,
          version.change,
        ]),
        [
          [3, 'deleted'],
          [2, 'updated'],
          [1, 'created'],
        ],
      );
      assert.equal(versions.body.versions[0].actor, 'bootstrap');
    });

    it('audits each change with its diff', async () => {
      await rig.api.request('PUT', '/api/jobs/audited', { json: { schedule: '@hourly', run: 'echo 1' } });
      await rig.api.request('PUT', '/api/jobs/audited', { json: { schedule: '@daily', run: 'echo 1' } });
      const audit = await rig.api.request('GET', '/api/audit?action=job.put');
      const entry = audit.body.entries.find(
        (candidate: { target: string; details: { version: number } }) =>
          candidate.target === 'audited' && candidate.details.version === 2,
      );
      assert.equal(entry.actor, 'bootstrap');
      assert.deepEqual(entry.details.diff, [{ path: '/schedule', from: '@hourly', to: '@daily' }]);
    });

    it('writes a batch in one transaction: all, or none when one entry is wrong', async () => {
      const jobs = Array.from({ length: 300 }, (_, index) => ({
        name: `bulk-${index}`,
        entry: { schedule: `every ${1 + (index % 24)}h`, run: `echo ${index}` },
      }));
      const refused = await rig.api.request('PUT', '/api/jobs', {
        json: [...jobs, { name: 'bulk-bad', entry: { schedule: 'nope', run: 'x' } }],
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.path, 'body[300].entry.schedule');
      assert.equal((await rig.api.request('GET', '/api/jobs/bulk-0')).status, 404);
      const written = await rig.api.request('PUT', '/api/jobs', { json: jobs });
      assert.equal(written.status, 200, written.text);
      assert.equal(written.body.jobs.length, 300);
      assert.ok(written.body.jobs.every((job: { change: string }) => job.change === 'created'));
      assert.notEqual(rig.api.daemon.engine.scheduler.nextFireOf('bulk-299'), null);
    });

    it('keeps the API jobs when the job file is reloaded', async () => {
      await rig.api.request('PUT', '/api/jobs/kept', { json: { schedule: '@hourly', run: 'echo kept' } });
      assert.equal(await rig.api.daemon.reload(), true);
      assert.notEqual(rig.api.daemon.engine.scheduler.nextFireOf('kept'), null);
      assert.equal((await rig.api.request('GET', '/api/jobs/kept')).body.job.source, 'api');
    });

    it('fires a job put through one node on the other node, the leader, and stops after a delete', async () => {
      // A second node on the same store; the PUT goes through the node that does not lead.
      const second: ApiDaemon = await startApiDaemon({
        storeUrl: rig.harness.url,
        yaml,
        node: 'node-b',
        apiJobPollMs: 100,
      });
      try {
        await eventually(
          () => rig.api.daemon.engine.scheduler.isLeader !== second.daemon.engine.scheduler.isLeader,
        );
        const [leader, other] = rig.api.daemon.engine.scheduler.isLeader
          ? [rig.api, second]
          : [second, rig.api];
        const put = await other.request('PUT', '/api/jobs/every-second', {
          json: { schedule: '*:*:*', run: 'true' },
        });
        assert.equal(put.status, 201, put.text);
        const firstSeen = Date.now();
        await eventually(async () => {
          const runs = await leader.request('GET', '/api/runs?job=every-second&trigger=schedule');
          return runs.body.runs.length >= 2;
        });
        // Within a second of the PUT (the signal; the poll is the fallback), plus the fire itself.
        assert.ok(Date.now() - firstSeen < 5000);
        const deleted = await other.request('DELETE', '/api/jobs/every-second');
        assert.equal(deleted.status, 200);
        await eventually(() => leader.daemon.engine.scheduler.nextFireOf('every-second') === null);
        const settled = (await leader.request('GET', '/api/runs?job=every-second&limit=1000')).body.runs
          .length;
        await sleep(1500);
        const later = (await leader.request('GET', '/api/runs?job=every-second&limit=1000')).body.runs.length;
        assert.equal(later, settled);
      } finally {
        await second.stop();
      }
    });
  },
);
