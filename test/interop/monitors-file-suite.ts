/**
 * The monitors file the exporters write for wrapped commands, end to end on one store: a job with
 * a guard exported to crontab, a real daemon started on the companion file alone, the exported
 * line run through /bin/sh as cron would, and the run recorded on the monitor named after the job;
 * a failing run takes the monitor down and alerts the job's failure channel.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { crontabExporter } from '../../src/interop/index.ts';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { waitFor } from '../support/engine-harness.ts';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { cronplaneBin } from '../support/run-cronplane.ts';
import { loadJobs } from './export-fixtures.ts';

/** A folder with a `cronplane` on PATH that runs this checkout's bin on the test's Node. */
function cronplaneOnPath(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-bin-'));
  const script = path.join(folder, 'cronplane');
  writeFileSync(script, `#!/bin/sh\nexec '${process.execPath}' '${cronplaneBin}' "$@"\n`);
  chmodSync(script, 0o755);
  return folder;
}

/** The command of a crontab entry line (after its five schedule fields), as cron gives it to /bin/sh. */
function entryCommand(crontab: string, job: string): string {
  const line = crontab.split('\n').find((candidate) => candidate.includes(`--monitor ${job} `));
  assert.ok(line !== undefined, crontab);
  return line.split(/\s+/).slice(5).join(' ').replaceAll('\\%', '%');
}

export function defineMonitorsFileSuite(storeName: string, freshStore: () => Promise<string>): void {
  describe(`exported wrapped commands reach the daemon through the monitors file, on ${storeName}`, () => {
    const daemons: ApiDaemon[] = [];
    const receivers: HttpReceiver[] = [];
    // Each test's daemon stops before the next test empties the store (a TRUNCATE under a daemon
    // that still writes can deadlock with it).
    afterEach(async () => {
      for (const daemon of daemons.splice(0)) await daemon.stop();
    });
    after(async () => {
      for (const receiver of receivers) await receiver.close();
    });

    it('records each run of the exported crontab line on the monitor, and alerts the failure channel when one fails', async () => {
      const receiver = await startHttpReceiver();
      receivers.push(receiver);
      const { config, file } = loadJobs(
        `  nightly:
    schedule: "0 2 * * *"
    run: [/bin/sh, -c, 'echo "ran $RESULT"; exit "$RESULT"']
    guards: { slow: { metric: ms, above: 5 } }
    notify: { failure: [ops] }
`,
        `timezone: UTC\nchannels:\n  ops: { webhook: { url: "\${OPS_HOOK}" } }`,
        { OPS_HOOK: receiver.url },
      );
      const exported = crontabExporter.exportJobs(config.jobs, {
        configPath: file,
        channels: { ops: { webhook: { url: '${OPS_HOOK}' } } },
      });
      const monitors = exported.files.find((candidate) => candidate.path === 'cronplane-monitors.yaml');
      assert.ok(monitors !== undefined, 'a monitors file beside the crontab');
      assert.doesNotMatch(monitors.text, /127\.0\.0\.1/, 'the channel is copied as written, not resolved');
      const api = await startApiDaemon({
        yaml: monitors.text,
        storeUrl: await freshStore(),
        env: { OPS_HOOK: receiver.url },
      });
      daemons.push(api);
      assert.deepEqual(
        api.daemon.config.jobs.map((job) => job.name),
        [],
        'a job file of monitors only: the daemon does not run the job too',
      );

      const command = entryCommand(exported.files[0]?.text ?? '', 'nightly');
      // Asynchronous: the daemon answering the pings runs in this process.
      const run = (result: string) =>
        new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            '/bin/sh',
            ['-c', command],
            {
              encoding: 'utf8',
              env: {
                PATH: `${cronplaneOnPath()}:${process.env['PATH'] ?? ''}`,
                HOME: process.env['HOME'] ?? '/tmp',
                CRONPLANE_SERVER: api.url,
                CRONPLANE_TOKEN: bootstrapToken,
                RESULT: result,
              },
            },
            (error, stdout, stderr) =>
              resolve({ status: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
          );
        });
      const ok = await run('0');
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(ok.stdout, 'ran 0\n');
      assert.equal(ok.stderr, '', 'no warning: the monitor exists');
      assert.equal((await api.daemon.store.getMonitor('nightly'))?.status, 'up');

      const failed = await run('3');
      assert.equal(failed.status, 3);
      const { pings } = await api.daemon.store.listPings({ monitor: 'nightly' });
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.exitCode]),
        [
          ['exit', 3],
          ['start', null],
          ['exit', 0],
          ['start', null],
        ],
      );
      assert.match(pings[0]?.body ?? '', /ran 3/);
      assert.equal((await api.daemon.store.getMonitor('nightly'))?.status, 'down');
      await waitFor('the failure alert', () => receiver.requests.length > 0, 10_000);
      assert.match(receiver.requests[0]?.body ?? '', /nightly/);
    });
  });
}
