/**
 * A job of the file may run `after:` a job defined through the API: the file is read before the
 * store, so the name waits until the daemon has the API jobs, then must be one of them (else the
 * start is refused, located at the `after:` entry). Real daemons on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import { LocalControl, storeControlParts, unlimitedActor } from '../../src/control/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { apiJobStores, useApiJobStore } from '../support/api-job-store.ts';
import { waitFor } from '../support/engine-harness.ts';
import { runCronplane, startDaemonProcess } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

/** `down` runs after the API job `up`; `base` is what the API job `back` runs after. */
const follows = `version: 1
jobs:
  base: { run: [sh, -c, 'echo base'] }
  down: { after: [up], run: [sh, -c, 'echo down'] }
`;
const unknown = `version: 1
jobs:
  base: { run: [sh, -c, 'echo base'] }
  down: { after: [nope], run: [sh, -c, 'echo down'] }
`;
/** `base` after `back`, which runs after `base`. */
const cycle = `version: 1
jobs:
  base: { after: [back], run: [sh, -c, 'echo base'] }
`;

for (const [storeName, createHarness] of apiJobStores) {
  describe(`a job of the file after a job defined through the API, on ${storeName}`, () => {
    const rig = useApiJobStore({
      createHarness,
      files: { follows, unknown, cycle },
      writeAgainst: 'follows',
      write: async (control) => {
        await control.putJob('up', { schedule: 'every 1s', run: ['sh', '-c', 'echo up'] });
        await control.putJob('back', { after: ['base'], run: ['sh', '-c', 'echo back'] });
      },
    });
    const start = (file: 'follows' | 'unknown' | 'cycle') =>
      runCronplane(['start', '--config', rig.file(file), '--store', rig.harness().url, '--listen', 'off']);

    it('starts, and each run of the API job starts the file’s job after it', async () => {
      const daemon = await startDaemonProcess(
        ['--config', rig.file('follows'), '--store', rig.harness().url],
        {
          readyWithinMs: 60_000,
        },
      );
      const store = await rig.harness().open();
      try {
        const chained: RunRecord = await waitFor(
          'a chained run of down',
          async () =>
            (await store.listRuns({ job: 'down', limit: 10 })).runs.find(
              (run) => run.trigger === 'chain' && run.status === 'succeeded',
            ),
          30_000,
        );
        assert.match(chained.requestedBy ?? '', /^up#\d+$/);
      } finally {
        await daemon.stop();
        await store.release();
      }
    });

    it('keeps the file in force when a reload names a job that is neither the file’s nor the API’s', async () => {
      const reloaded = path.join(rig.folder, 'reloaded.yaml');
      writeFileSync(reloaded, follows);
      const daemon = await startDaemonProcess(['--config', reloaded, '--store', rig.harness().url], {
        readyWithinMs: 60_000,
      });
      try {
        writeFileSync(reloaded, unknown);
        daemon.signal('SIGHUP');
        await waitFor(
          'the reload refused',
          () => /job file not reloaded/.test(daemon.output()),
          30_000,
        ).catch((thrown: unknown) => {
          throw new Error(`${String(thrown)}; the daemon wrote:\n${daemon.output()}`);
        });
        assert.match(
          daemon.output(),
          /reloaded\.yaml:4:\d+: jobs\.down\.after\[0\]: no job named \\?"nope\\?" in the job file or defined through the API/,
        );
      } finally {
        await daemon.stop();
      }
    });

    it('refuses to start when after: names neither a job of the file nor one of the API, at its place', async () => {
      const result = await start('unknown');
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        /unknown\.yaml:4:\d+: jobs\.down\.after\[0\]: no job named "nope" in the job file or defined through the API/,
      );
    });

    it('refuses to start when after: closes a cycle through a job of the API', async () => {
      const result = await start('cycle');
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        /cycle\.yaml:3:\d+: jobs\.base\.after\[0\]: jobs run after each other in a cycle: base -> back -> base/,
      );
    });

    it('refuses to delete the API job while a job of the file runs after it', async () => {
      const store = await rig.harness().open();
      try {
        const config = readConfig(
          rig.file('follows'),
          { kinds: builtinKinds, env: {} },
          { jobsBeyond: 'api' },
        );
        const control = new LocalControl(
          storeControlParts({ store, config, redact: (text) => text }),
          unlimitedActor('app'),
        );
        await assert.rejects(control.deleteJob('up'), {
          code: 'api.job-followed',
          kind: 'conflict',
          message: /^job "up" cannot be deleted: "down" of .*follows\.yaml runs after it/,
        });
        assert.equal((await store.getApiJob('up'))?.version, 1);
      } finally {
        await store.release();
      }
    });

    it('validate accepts the file and notes the name it must find among the API jobs', async () => {
      const result = await runCronplaneInProcess(['validate', rig.file('follows')]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        /note: .*follows\.yaml:4:\d+: jobs\.down\.after\[0\]: "up" is not a job of this file; it must be a job defined through the API/,
      );
    });
  });
}
