/**
 * `cronplane trigger` inside a job's `cooldown`, against a real daemon API on loopback: refused
 * with exit 2 and the message saying until when, nothing queued; `--force` runs it and the run
 * says it was forced.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startRig } from '../control/control-rig.ts';
import type { ControlRig } from '../control/control-rig.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`cronplane trigger inside the cooldown, store on ${storeName}`, () => {
    let harness: StoreHarness;
    let rig: ControlRig;
    before(async () => {
      harness = await createHarness();
    });
    after(() => harness.close());
    beforeEach(async () => {
      rig = await startRig('http', harness);
    });
    afterEach(() => rig.release());

    it('refuses with exit 2 saying until when, and runs with --force', async () => {
      const server = rig.server;
      assert.ok(server !== undefined);
      const trigger = (...flags: string[]) =>
        runCronplaneInProcess(['trigger', 'throttled', '--server', server.url, ...flags], {
          env: { CRONPLANE_TOKEN: server.token },
        });
      const first = await trigger();
      assert.equal(first.code, 0, first.stderr);
      const refused = await trigger();
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        /^error: the daemon at .* refused \(409 run.cooldown\): job "throttled" is in its cooldown until \d{4}-\d\d-\d\dT[\d:.]+Z: .*--force\)/,
      );
      assert.equal((await rig.store.listRuns({ job: 'throttled', limit: 10 })).runs.length, 1);
      const forced = await trigger('--force', '--json');
      assert.equal(forced.code, 0, forced.stderr);
      const run = JSON.parse(forced.stdout.trim()) as { statusReason: string | null };
      assert.match(run.statusReason ?? '', /^forced inside the cooldown, which ends at /);
    });

    it('lets exactly one of two triggers at the same instant through, the other exits 2', async () => {
      const server = rig.server;
      assert.ok(server !== undefined);
      const trigger = () =>
        runCronplaneInProcess(['trigger', 'throttled', '--server', server.url], {
          env: { CRONPLANE_TOKEN: server.token },
        });
      const codes = (await Promise.all([trigger(), trigger()])).map((result) => result.code);
      assert.deepEqual(
        codes.sort((a, b) => a - b),
        [0, 2],
      );
      assert.equal((await rig.store.listRuns({ job: 'throttled', limit: 10 })).runs.length, 1);
    });
  });
}
