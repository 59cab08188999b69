import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { Daemon } from '../../src/daemon/index.ts';
import { silentLogger } from '../support/engine-harness.ts';

const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);

/** The daemon's watchers as one list: one lifecycle for each, started, reloaded and released together. */
export function defineDaemonWatchersSuite(storeName: string, makeStoreUrl: () => Promise<string>): void {
  describe(`the daemon's watchers on ${storeName}`, () => {
    const folders: string[] = [];
    const daemons: Daemon[] = [];

    after(async () => {
      for (const daemon of daemons) await daemon.stop(0);
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });

    async function start(yaml: string) {
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-watchers-'));
      folders.push(folder);
      const file = path.join(folder, 'cronplane.yaml');
      writeFileSync(file, yaml);
      const daemon = await Daemon.start({
        configFile: file,
        env: {},
        storeUrl: await makeStoreUrl(),
        logger: silentLogger,
        clock: manualClock(T0),
        node: 'watch-node',
        // It never claims: the test's own run stays the only one running on this node.
        role: 'scheduler',
        listen: 'off',
      });
      daemons.push(daemon);
      return { file, daemon };
    }

    it('keeps the monitor, stuck, job, run and guard watchers in one list, the clock-fed ones apart from the run-end-fed', async () => {
      const { daemon } = await start('version: 1\njobs:\n  batch: { run: "true" }\n');
      assert.deepEqual(
        daemon.watchers.map((watcher) => `${watcher.name}:${watcher.feed}`),
        ['monitor:clock', 'stuck:clock', 'job:clock', 'run:run-ends', 'guard:run-ends'],
      );
    });

    it('hands a reloaded job file to every watcher: a new monitor is synced and a new max_runtime is watched', async () => {
      const { file, daemon } = await start('version: 1\njobs:\n  batch: { run: "true" }\n');
      const { store } = daemon;
      // A run this node started two minutes ago.
      const startedAt = T0 - 120_000;
      await store.insertRuns([{ job: 'batch', trigger: 'api', scheduledAt: startedAt, queuedAt: startedAt }]);
      const [running] = await store.claimRuns({
        node: daemon.node,
        now: startedAt,
        limit: 1,
        leaseMs: 3_600_000,
      });
      assert.ok(running);
      assert.deepEqual(await daemon.stuckWatch.check(), [], 'no max_runtime yet');
      assert.equal(await store.getMonitor('backup'), undefined);

      writeFileSync(
        file,
        'version: 1\njobs:\n  batch: { run: "true", max_runtime: 1m }\nmonitors:\n  backup: { period: 1h }\n',
      );
      assert.equal(await daemon.reload(), true);

      assert.equal((await store.getMonitor('backup'))?.name, 'backup', 'the monitor watch synced it');
      assert.deepEqual(
        (await daemon.stuckWatch.check()).map((run) => run.id),
        [running.id],
        'the stuck-run watch judges the run by the new max_runtime',
      );
    });
  });
}
