/**
 * Instances of a template through the API: create, replace, list, delete, refusals located by JSON
 * pointer (nothing changed), If-Match, the template refused as a trigger, and a change of the
 * template in the job file applied to every instance; on both stores.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { it } from 'node:test';
import { describeWithDaemonOnEachStore } from './describe-with-daemon.ts';

const yaml = `version: 1
jobs:
  from-file:
    schedule: "@daily"
    run: "true"
  orchestrate:
    template: true
    schedule: "every {frequency_hours}h"
    run: ["echo", "{project_id}", "{batch_size}"]
    params:
      project_id: { type: string, pattern: '^[a-z0-9-]{1,40}$' }
      frequency_hours: { type: integer, min: 1, max: 168, default: 6 }
      batch_size: { type: integer, min: 1, default: 10 }
`;

describeWithDaemonOnEachStore(
  (store) => `template instances through the API on ${store}`,
  { yaml },
  (rig) => {
    it('creates an instance with its own schedule, replaces it, lists it, deletes it', async () => {
      const put = await rig.api.request('PUT', '/api/jobs/orchestrate/instances/acme', {
        json: { params: { project_id: 'acme', frequency_hours: 2 }, description: 'Acme', tags: ['acme'] },
      });
      assert.equal(put.status, 201, put.text);
      assert.equal(put.headers['etag'], '"1"');
      assert.equal(put.body.job.name, 'orchestrate.acme');
      assert.equal(put.body.job.source, 'api');
      assert.deepEqual(put.body.job.schedules, ['every 2h']);
      assert.equal(put.body.job.description, 'Acme');
      assert.notEqual(rig.api.daemon.engine.scheduler.nextFireOf('orchestrate.acme'), null);

      const same = await rig.api.request('PUT', '/api/jobs/orchestrate/instances/acme', {
        json: { params: { project_id: 'acme', frequency_hours: 2 }, description: 'Acme', tags: ['acme'] },
      });
      assert.equal(same.body.change, 'unchanged');

      const replaced = await rig.api.request('PUT', '/api/jobs/orchestrate/instances/acme', {
        json: { params: { project_id: 'acme', frequency_hours: 12 }, enabled: false },
        headers: { 'if-match': '"1"' },
      });
      assert.equal(replaced.status, 200, replaced.text);
      assert.equal(replaced.headers['etag'], '"2"');
      assert.deepEqual(replaced.body.job.schedules, ['every 12h']);
      assert.equal(replaced.body.job.enabled, false);

      const other = await rig.api.request('PUT', '/api/jobs/orchestrate.beta', {
        json: { template: 'orchestrate', params: { project_id: 'beta' } },
      });
      assert.equal(other.status, 201, other.text);
      assert.deepEqual(other.body.job.schedules, ['every 6h']);

      const list = await rig.api.request('GET', '/api/jobs/orchestrate/instances');
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.body.schedules, ['every {frequency_hours}h']);
      assert.deepEqual(
        list.body.instances.map(
          (instance: {
            key: string;
            params: object;
            job: { schedules: string[]; paused: boolean; version: number };
          }) => [
            instance.key,
            instance.params,
            instance.job.schedules,
            instance.job.paused,
            instance.job.version,
          ],
        ),
        [
          ['acme', { project_id: 'acme', frequency_hours: '12', batch_size: '10' }, ['every 12h'], false, 2],
          ['beta', { project_id: 'beta', frequency_hours: '6', batch_size: '10' }, ['every 6h'], false, 1],
        ],
      );
      assert.equal(list.body.instances[1].job.nextFireAt === null, false);

      const paused = await rig.api.request('POST', '/api/jobs/orchestrate.beta/pause');
      assert.equal(paused.status, 200, paused.text);
      const listed = await rig.api.request('GET', '/api/jobs/orchestrate/instances');
      assert.equal(listed.body.instances[1].job.paused, true);

      const deleted = await rig.api.request('DELETE', '/api/jobs/orchestrate/instances/acme');
      assert.deepEqual(deleted.body, { name: 'orchestrate.acme', change: 'deleted', version: 3 });
      assert.equal(rig.api.daemon.engine.scheduler.nextFireOf('orchestrate.acme'), null);
      const after = await rig.api.request('GET', '/api/jobs/orchestrate/instances');
      assert.deepEqual(
        after.body.instances.map((instance: { key: string }) => instance.key),
        ['beta'],
      );
      assert.equal((await rig.api.request('DELETE', '/api/jobs/orchestrate/instances/acme')).status, 404);
    });

    it('locates bad params by JSON pointer and changes nothing', async () => {
      const cases: [unknown, string, RegExp][] = [
        [
          { params: { project_id: 'x', frequency_hours: 0 } },
          'body.params.frequency_hours',
          /^\/params\/frequency_hours: parameter "frequency_hours" must be an integer between 1 and 168/,
        ],
        [
          { params: { project_id: '$(reboot)' } },
          'body.params.project_id',
          /^\/params\/project_id: parameter "project_id" must match/,
        ],
        [{ params: { project_id: 'x', colour: 'red' } }, 'body.params.colour', /takes no parameter "colour"/],
        [{ params: {} }, 'body.params.project_id', /the instance must give it/],
        [
          { params: { project_id: 'x' }, run: 'sh -c reboot' },
          'body.run',
          /an instance runs what its template runs/,
        ],
        [
          { params: { project_id: 'x' }, retry: { attempts: 'x' } },
          'body.retry.attempts',
          /^\/retry\/attempts: /,
        ],
      ];
      for (const [json, path, message] of cases) {
        const refused = await rig.api.request('PUT', '/api/jobs/orchestrate/instances/bad', { json });
        assert.equal(refused.status, 400, refused.text);
        assert.equal(refused.body.error.code, 'api.invalid');
        assert.equal(refused.body.error.path, path);
        assert.match(refused.body.error.message, message);
      }
      assert.equal((await rig.api.request('GET', '/api/jobs/orchestrate.bad')).status, 404);
      assert.equal((await rig.api.request('GET', '/api/jobs/orchestrate.bad/versions')).status, 404);
      assert.equal(rig.api.daemon.engine.scheduler.nextFireOf('orchestrate.bad'), null);
    });

    it('answers 409 for a job that is no template, 404 for no job, 412 for a stale If-Match', async () => {
      const notTemplate = await rig.api.request('PUT', '/api/jobs/from-file/instances/x', {
        json: { params: {} },
      });
      assert.equal(notTemplate.status, 409);
      assert.equal(notTemplate.body.error.code, 'api.not-a-template');
      assert.equal((await rig.api.request('GET', '/api/jobs/from-file/instances')).status, 409);
      assert.equal((await rig.api.request('GET', '/api/jobs/nope/instances')).status, 404);
      const plain = await rig.api.request('PUT', '/api/jobs/from-file.x', {
        json: { template: 'from-file', params: {} },
      });
      assert.equal(plain.status, 400);
      assert.equal(plain.body.error.path, 'body.template');

      await rig.api.request('PUT', '/api/jobs/orchestrate/instances/cas', {
        json: { params: { project_id: 'cas' } },
      });
      const stale = await rig.api.request('PUT', '/api/jobs/orchestrate/instances/cas', {
        json: { params: { project_id: 'cas', frequency_hours: 3 } },
        headers: { 'if-match': '"5"' },
      });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.error.code, 'api.version-mismatch');
      const gone = await rig.api.request('DELETE', '/api/jobs/orchestrate/instances/cas', {
        headers: { 'if-match': '"9"' },
      });
      assert.equal(gone.status, 412);
      const listed = await rig.api.request('GET', '/api/jobs/orchestrate/instances');
      const cas = listed.body.instances.find((instance: { key: string }) => instance.key === 'cas');
      assert.deepEqual(cas.job.schedules, ['every 6h'], 'the refused writes changed nothing');
    });

    it('refuses to trigger the template, naming its instances route; triggers an instance with its bound values', async () => {
      const refused = await rig.api.request('POST', '/api/jobs/orchestrate/trigger', {
        json: { params: { project_id: 'x' } },
      });
      assert.equal(refused.status, 409, refused.text);
      assert.match(
        refused.body.error.message,
        /is a template.*PUT \/api\/jobs\/orchestrate\/instances\/\{key\}/,
      );
      await rig.api.request('PUT', '/api/jobs/orchestrate/instances/run', {
        json: { params: { project_id: 'run' } },
      });
      const bound = await rig.api.request('POST', '/api/jobs/orchestrate.run/trigger', {
        json: { params: { project_id: 'other' } },
      });
      assert.equal(bound.status, 400);
      assert.equal(bound.body.error.path, 'body.params.project_id');
      const ran = await rig.api.request('POST', '/api/jobs/orchestrate.run/trigger', { json: {} });
      assert.equal(ran.status, 202, ran.text);
      assert.deepEqual(ran.body.runs[0].params, {
        project_id: 'run',
        frequency_hours: '6',
        batch_size: '10',
      });
    });

    it('re-resolves every instance when the template changes in the job file; one that no longer resolves is left out', async () => {
      await rig.api.request('PUT', '/api/jobs/orchestrate/instances/edit', {
        json: { params: { project_id: 'edit', frequency_hours: 4 } },
      });
      await rig.api.request('PUT', '/api/jobs/orchestrate/instances/big', {
        json: { params: { project_id: 'big', frequency_hours: 100 } },
      });
      writeFileSync(
        rig.api.configFile,
        yaml.replace('every {frequency_hours}h', 'every {frequency_hours}m').replace('max: 168', 'max: 60'),
      );
      assert.equal(await rig.api.daemon.reload(), true);
      const listed = await rig.api.request('GET', '/api/jobs/orchestrate/instances');
      const keys = listed.body.instances.map((instance: { key: string }) => instance.key);
      assert.ok(keys.includes('edit'));
      assert.ok(!keys.includes('big'), 'frequency_hours 100 is above the new maximum');
      const edit = listed.body.instances.find((instance: { key: string }) => instance.key === 'edit');
      assert.deepEqual(edit.job.schedules, ['every 4m']);
      assert.equal(rig.api.daemon.engine.scheduler.nextFireOf('orchestrate.big'), null);
      assert.match(
        rig.api.logs.text,
        /orchestrate\.big.*does not resolve|does not resolve.*orchestrate\.big/,
      );
      writeFileSync(rig.api.configFile, yaml);
      assert.equal(await rig.api.daemon.reload(), true);
    });
  },
);
