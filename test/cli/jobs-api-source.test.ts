/**
 * `cronplane jobs` on a store alone (no daemon) lists the jobs defined through the API beside the
 * job file's, each with its source and version as the API shows them, resolved against the job
 * file as a daemon on it resolves them; on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiJobStores, useApiJobStore } from '../support/api-job-store.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

const withChannel = `version: 1
channels:
  ops: { webhook: { url: "http://127.0.0.1:9/hook" } }
jobs:
  backup:
    run: [sh, -c, 'echo backup']
    schedule: '0 9 1 1 *'
`;
/** The same file once the channel `ops` is removed: an API job that names it no longer resolves. */
const withoutChannel = `version: 1
jobs:
  backup:
    run: [sh, -c, 'echo backup']
    schedule: '0 9 1 1 *'
`;

for (const [storeName, createHarness] of apiJobStores) {
  describe(`cronplane jobs on the store alone, with API jobs, on ${storeName}`, () => {
    const rig = useApiJobStore({
      createHarness,
      files: { with: withChannel, without: withoutChannel },
      writeAgainst: 'with',
      write: async (control) => {
        await control.putJob('report-acme', { run: 'echo acme', schedule: 'every 6h' });
        await control.patchJob('report-acme', { schedule: 'every 12h' });
        await control.putJob('alerting', {
          run: 'echo x',
          schedule: 'every 1h',
          notify: { failure: ['ops'] },
        });
      },
    });
    const fileWith = rig.file('with');
    const fileWithout = rig.file('without');

    const jobs = (file: string, ...args: string[]) =>
      runCronplaneInProcess(['jobs', ...args, '--config', file, '--store', rig.harness().url]);

    it('lists API jobs with source api and their version, file jobs with source file', async () => {
      const result = await jobs(fileWith, '--json');
      assert.equal(result.code, 0, result.stderr);
      const listed = result.stdout
        .trim()
        .split('\n')
        .map(
          (line) =>
            JSON.parse(line) as { name: string; source: string; version: number | null; schedules: string[] },
        );
      assert.deepEqual(
        listed.map((job) => [job.name, job.source, job.version]),
        [
          ['alerting', 'api', 1],
          ['backup', 'file', null],
          ['report-acme', 'api', 2],
        ],
      );
      assert.deepEqual(listed.find((job) => job.name === 'report-acme')?.schedules, ['every 12h']);
    });

    it('shows the source in the table', async () => {
      const result = await jobs(fileWith);
      assert.equal(result.code, 0, result.stderr);
      const rows = result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      assert.equal(rows[0]?.at(-1), 'SOURCE');
      assert.deepEqual(
        rows.slice(1).map((row) => [row[0], row.at(-1)]),
        [
          ['alerting', 'api v1'],
          ['backup', 'file'],
          ['report-acme', 'api v2'],
        ],
      );
    });

    it('leaves out an API job that no longer resolves against the job file, as a daemon does', async () => {
      const result = await jobs(fileWithout, '--json');
      assert.equal(result.code, 0, result.stderr);
      const names = result.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { name: string }).name);
      assert.deepEqual(names, ['backup', 'report-acme']);
    });
  });
}
