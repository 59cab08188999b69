/** `cronplane prune` as a user runs it (in the test's process), on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const day = 86_400_000;

function jobFile(retention: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-prune-'));
  const file = path.join(folder, 'cronplane.yaml');
  writeFileSync(file, `version: 1\n${retention}jobs:\n  backup: { run: "true" }\n`);
  return file;
}

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`cronplane prune on ${storeName}`, () => {
    let harness: StoreHarness;
    before(async () => {
      harness = await createHarness();
    });
    after(async () => {
      await harness.close();
    });

    it("removes what is older than the job file's retention and says how much", async () => {
      await harness.reset();
      const now = Date.now();
      const store = await harness.open();
      let kept: number;
      try {
        const ends = [now - 40 * day, now - 35 * day, now - day];
        const { inserted } = await store.insertRuns(
          ends.map(() => ({ job: 'backup', trigger: 'api' as const, scheduledAt: now, queuedAt: now })),
        );
        await store.claimRuns({ node: 'n', now, limit: 3, leaseMs: day, jobs: ['backup'] });
        for (const [index, run] of inserted.entries()) {
          await store.finishRun(run.id, 'n', { status: 'succeeded', finishedAt: ends[index] as number });
        }
        kept = inserted[2]?.id ?? 0;
      } finally {
        await store.release();
      }
      const file = jobFile('retention: { runs: 30d }\n');
      const pruned = await runCronplaneInProcess(['prune', '--config', file, '--store', harness.url]);
      assert.equal(pruned.code, 0, pruned.stderr);
      assert.equal(pruned.stdout, 'removed 2 runs, the output of 0 runs and 0 pings (retention: runs 30d)\n');
      const check = await harness.open();
      try {
        const left = (await check.listRuns({ limit: 10 })).runs.map((run) => run.id);
        assert.deepEqual(left, [kept]);
      } finally {
        await check.release();
      }
      const again = await runCronplaneInProcess(['prune', '--config', file, '--store', harness.url]);
      assert.match(again.stdout, /^removed 0 runs/);
    });

    it('removes nothing and says so when the job file sets no retention; a bad window is a usage error', async () => {
      const none = await runCronplaneInProcess(['prune', '--config', jobFile(''), '--store', harness.url]);
      assert.equal(none.code, 0, none.stderr);
      assert.match(none.stdout, /the job file sets no retention: nothing is removed/);
      const bad = await runCronplaneInProcess([
        'prune',
        '--config',
        jobFile('retention: { runs: soon }\n'),
        '--store',
        harness.url,
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /retention\.runs/);
    });
  });
}
