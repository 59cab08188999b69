/**
 * `cronplane export` includes the jobs defined through the API, read from the store (or a
 * daemon's API with --server), resolved against the job file as a daemon on it resolves them,
 * in every format; --file-only leaves them out; one that no longer resolves is a warning. On
 * SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../src/api/index.ts';
import { exportFormats } from '../../src/interop/index.ts';
import { apiJobStores, useApiJobStore } from '../support/api-job-store.ts';
import { startDaemonProcess } from '../support/run-cronplane.ts';
import type { CliResult, DaemonProcess } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

const withChannel = `version: 1
timezone: UTC
channels:
  ops: { webhook: { url: "http://127.0.0.1:9/hook" } }
jobs:
  backup:
    run: backup.sh
    schedule: '0 2 * * *'
`;
/** The same file once the channel `ops` is removed: the API job that names it no longer resolves. */
const withoutChannel = `version: 1
timezone: UTC
jobs:
  backup:
    run: backup.sh
    schedule: '0 2 * * *'
`;

interface Exported {
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly warnings: readonly {
    readonly job: string | null;
    readonly message: string;
    readonly action: string;
  }[];
}

const parsed = (result: CliResult): Exported => JSON.parse(result.stdout) as Exported;
const allText = (exported: Exported): string =>
  exported.files.map((file) => `${file.path}\n${file.text}`).join('\n');

for (const [storeName, createHarness] of apiJobStores) {
  describe(`cronplane export with jobs defined through the API, on ${storeName}`, () => {
    let token: string;
    const rig = useApiJobStore({
      createHarness,
      files: { 'with-channel': withChannel, 'without-channel': withoutChannel },
      writeAgainst: 'with-channel',
      write: async (control, store) => {
        await control.putJob('report-acme', { run: ['report', '--tenant', 'acme'], schedule: '0 */6 * * *' });
        await control.patchJob('report-acme', { schedule: '30 */12 * * *' });
        await control.putJob('alerting', {
          run: 'check.sh',
          schedule: '15 * * * *',
          notify: { failure: ['ops'] },
        });
        await control.putJob('gone', { run: 'gone.sh', schedule: '0 1 * * *' });
        await control.deleteJob('gone');
        const issued = issueToken();
        await store.createApiToken({
          id: issued.id,
          name: 'exporter',
          hash: issued.hash,
          scope: 'read',
          jobs: [],
          createdAt: Date.now(),
          createdBy: 'test',
        });
        token = issued.token;
      },
    });
    const { folder } = rig;
    const fileWith = rig.file('with-channel');
    const fileWithout = rig.file('without-channel');

    const exportFrom = (file: string, ...args: string[]) =>
      runCronplaneInProcess(['export', ...args, '--config', file, '--store', rig.harness().url]);

    it('writes the API jobs, at their version in force, with the file’s in the crontab', async () => {
      const result = await exportFrom(fileWith, '--to', 'crontab');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^0 2 \* \* \* backup\.sh$/m);
      assert.match(result.stdout, /^30 \*\/12 \* \* \* report --tenant acme$/m);
      assert.match(result.stdout, /^15 \* \* \* \* cronplane exec --monitor alerting -- check\.sh$/m);
      assert.doesNotMatch(result.stdout, /0 \*\/6|gone/);
      assert.match(result.stderr, /^exported: 3 jobs \(2 defined through the API\) as crontab, 2 files, /m);
    });

    for (const format of exportFormats) {
      it(`exports the API jobs as ${format}`, async () => {
        const result = await exportFrom(fileWith, '--to', format, '--json');
        assert.equal(result.code, 0, result.stderr);
        const text = allText(parsed(result));
        for (const name of ['backup', 'report-acme', 'alerting'])
          assert.ok(text.includes(name), `${format} names ${name}`);
        assert.ok(!text.includes('gone'), `${format} leaves the deleted API job out`);
        const only = parsed(await exportFrom(fileWith, '--to', format, '--json', '--file-only'));
        assert.ok(allText(only).includes('backup'));
        assert.ok(!allText(only).includes('report-acme'), `${format} --file-only leaves the API jobs out`);
      });
    }

    it('exports an API job named on the command line', async () => {
      const result = await exportFrom(fileWith, '--to', 'crontab', 'report-acme');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^30 \*\/12 \* \* \* report --tenant acme$/m);
      assert.doesNotMatch(result.stdout, /backup|check/);
    });

    it('leaves out an API job that no longer resolves against the job file, with a warning naming it', async () => {
      const result = await exportFrom(fileWithout, '--to', 'crontab');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^30 \*\/12 \* \* \* report --tenant acme$/m);
      assert.doesNotMatch(result.stdout, /check\.sh/);
      assert.match(
        result.stderr,
        /^alerting: API job \(version 1\): it no longer resolves against the job file: .*ops.* \(left out of the export\)$/m,
      );
      const named = await exportFrom(fileWithout, '--to', 'crontab', 'alerting');
      assert.equal(named.code, 1);
      assert.match(named.stderr, /^error: no job alerting in /m);
    });

    it('does not create a SQLite store that is not there', async () => {
      const absent = path.join(folder, 'absent', 'cronplane.db');
      const result = await runCronplaneInProcess([
        'export',
        '--to',
        'crontab',
        '--config',
        fileWith,
        '--store',
        `sqlite:${absent}`,
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /^exported: 1 job as crontab/m);
      assert.ok(!existsSync(absent));
    });

    describe('through a running daemon', () => {
      let daemon: DaemonProcess | undefined;
      before(async () => {
        daemon = await startDaemonProcess(['--config', fileWith, '--store', rig.harness().url], {
          readyWithinMs: 60_000,
        });
      });
      after(async () => {
        await daemon?.stop();
      });

      it('exports the same files as from the store', async () => {
        assert.ok(daemon !== undefined);
        for (const format of ['crontab', 'k8s'] as const) {
          const remote = await runCronplaneInProcess(
            ['export', '--to', format, '--json', '--config', fileWith, '--server', daemon.server],
            { env: { CRONPLANE_TOKEN: token } },
          );
          assert.equal(remote.code, 0, remote.stderr);
          const local = await exportFrom(fileWith, '--to', format, '--json');
          assert.deepEqual(parsed(remote), parsed(local));
          assert.ok(allText(parsed(remote)).includes('report-acme'));
        }
      });

      it('reads every API job from the daemon in one request', async () => {
        assert.ok(daemon !== undefined);
        const server = daemon.server;
        // A real HTTP proxy in front of the daemon, noting each request the export sends.
        const requests: string[] = [];
        const proxy = http.createServer((request, response) => {
          requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
          const upstream = http.request(
            new URL(request.url ?? '/', server),
            { method: request.method, headers: request.headers },
            (answer) => {
              response.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(response);
            },
          );
          request.pipe(upstream);
        });
        await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
        try {
          const { port } = proxy.address() as AddressInfo;
          const result = await runCronplaneInProcess(
            ['export', '--to', 'crontab', '--config', fileWith, '--server', `http://127.0.0.1:${port}`],
            { env: { CRONPLANE_TOKEN: token } },
          );
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stdout, /^30 \*\/12 \* \* \* report --tenant acme$/m);
        } finally {
          proxy.closeAllConnections();
          await new Promise((resolve) => proxy.close(resolve));
        }
        assert.deepEqual(
          requests.filter((request) => request.includes('/api/job')),
          ['GET /api/job-entries'],
        );
      });
    });
  });
}
