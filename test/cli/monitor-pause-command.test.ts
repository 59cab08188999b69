/**
 * `cronplane monitors pause NAME` and `monitors resume NAME` as a user runs them, through a real
 * daemon's API on loopback and on the store alone, on SQLite and PostgreSQL. The commands run in
 * the test's process (the bin's program and output, without a Node start each).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { monitorYaml } from '../api/ping-suite.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { closedPort } from '../notify/receivers.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import type { CliResult } from '../support/run-cronplane.ts';

function cronplane(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCronplaneInProcess(args, { env });
}

const instant = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`cronplane monitors pause and resume on ${storeName}`, () => {
    let harness: StoreHarness;
    let api: ApiDaemon;
    let reader = '';
    before(async () => {
      harness = await createHarness();
      api = await startApiDaemon({ yaml: monitorYaml, storeUrl: harness.url });
      const created = await api.request('POST', '/api/tokens', { json: { name: 'reader', scope: 'read' } });
      reader = created.body.token as string;
    });
    after(async () => {
      await api.stop();
      await harness.close();
    });

    it('pauses and resumes a monitor through the API with an admin token; the list shows it; a second pause changes nothing', async () => {
      const admin = { CRONPLANE_TOKEN: bootstrapToken };
      const paused = await cronplane(['monitors', 'pause', 'backup', '--server', api.url], admin);
      assert.equal(paused.code, 0, paused.stderr);
      assert.equal(
        paused.stdout,
        'paused backup (new): it is not taken down and raises no alert until "cronplane monitors resume backup"\n',
      );
      assert.equal((await api.daemon.store.getMonitor('backup'))?.paused, true);

      const again = await cronplane(['monitors', 'pause', 'backup'], { ...admin, CRONPLANE_SERVER: api.url });
      assert.equal(again.code, 0, again.stderr);
      assert.match(
        again.stdout,
        new RegExp(`^backup was already paused \\(since ${instant}\\); nothing changed\\n$`),
      );

      const listed = await cronplane(['monitors', '--server', api.url], admin);
      const lines = listed.stdout.trim().split('\n');
      assert.equal(lines[0], 'NAME\tSTATUS\tPAUSED SINCE (UTC)\tLAST PING (UTC)\tPING URL');
      assert.match(lines[1] ?? '', new RegExp(`^backup\\tnew\\t${instant}\\t-\\thttp://`));
      assert.match(lines[2] ?? '', /^nightly\tnew\t-\t-\thttp:\/\//);

      const resumed = await cronplane(['monitors', 'resume', 'backup', '--server', api.url], admin);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(
        resumed.stdout,
        new RegExp(`^resumed backup \\(new\\): its lateness counts from ${instant}\\n$`),
      );
      const monitor = await api.daemon.store.getMonitor('backup');
      assert.deepEqual([monitor?.paused, typeof monitor?.resumedAt], [false, 'number']);
      const audit = (await api.daemon.store.listAudit({ actor: 'bootstrap', limit: 10 })).entries;
      assert.deepEqual(
        audit
          .filter((entry) => entry.action.startsWith('monitor.'))
          .map((entry) => `${entry.action} ${entry.target} ${JSON.stringify(entry.details)}`),
        [
          'monitor.resume backup {"changed":true}',
          'monitor.pause backup {"changed":false}',
          'monitor.pause backup {"changed":true}',
        ],
      );
    });

    it('refuses a read token, no token, an unknown monitor and an absent daemon, changing nothing', async () => {
      const before = (await api.daemon.store.listAudit({ limit: 100 })).entries.length;
      const refused = await cronplane(['monitors', 'pause', 'nightly', '--server', api.url], {
        CRONPLANE_TOKEN: reader,
      });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /403 api\.forbidden.*scope read/);
      const noToken = await cronplane(['monitors', 'pause', 'nightly', '--server', api.url]);
      assert.equal(noToken.code, 2);
      assert.match(noToken.stderr, /set CRONPLANE_TOKEN/);
      const unknown = await cronplane(['monitors', 'resume', 'nope', '--server', api.url], {
        CRONPLANE_TOKEN: bootstrapToken,
      });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /404 api\.unknown-monitor.*no monitor named "nope"/);
      const absent = await cronplane(
        ['monitors', 'pause', 'nightly', '--server', `http://127.0.0.1:${await closedPort()}`],
        { CRONPLANE_TOKEN: bootstrapToken },
      );
      assert.equal(absent.code, 1);
      assert.match(absent.stderr, /no cronplane daemon answers at .*connection refused/);
      assert.equal((await api.daemon.store.getMonitor('nightly'))?.paused, false);
      assert.equal((await api.daemon.store.listAudit({ limit: 100 })).entries.length, before);
    });

    it('pauses and resumes on the store without a daemon address, audited as cli; the running daemon honours it', async () => {
      const common = ['--config', api.configFile, '--store', harness.url];
      const paused = await cronplane(['monitors', 'pause', 'nightly', ...common], {
        CRONPLANE_SERVER: 'http://127.0.0.1:9', // --store wins over the environment's daemon
      });
      assert.equal(paused.code, 0, paused.stderr);
      assert.match(paused.stdout, /^paused nightly \(new\): it is not taken down/);
      const record = await api.daemon.store.getMonitor('nightly');
      assert.deepEqual([record?.paused, typeof record?.pausedAt], [true, 'number']);
      assert.equal(
        (await api.request('GET', '/api/monitors/nightly')).body.monitor.paused,
        true,
        'the daemon shows the pause made on its store',
      );
      const [entry] = (await api.daemon.store.listAudit({ action: 'monitor.pause', actor: 'cli' })).entries;
      assert.deepEqual([entry?.target, entry?.details], ['nightly', { changed: true }]);

      const unknown = await cronplane(['monitors', 'pause', 'nope', ...common]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /no monitor named "nope" in the job file/);

      const resumed = await cronplane(['monitors', 'resume', 'nightly', ...common]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, /^resumed nightly \(new\): its lateness counts from /);
      const notPaused = await cronplane(['monitors', 'resume', 'nightly', ...common]);
      assert.equal(notPaused.stdout, 'nightly was not paused; nothing changed\n');
      assert.equal((await api.daemon.store.getMonitor('nightly'))?.paused, false);
    });
  });
}
