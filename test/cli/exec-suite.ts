/**
 * `cronplane exec` and `cronplane monitors` as a user runs them: real child processes against a
 * real daemon on loopback, on one store.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { monitorYaml } from '../api/ping-suite.ts';
import { closedPort } from '../notify/receivers.ts';
import { runCronplane } from '../support/run-cronplane.ts';
import type { CliResult } from '../support/run-cronplane.ts';

function cronplane(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCronplane(args, { env });
}

export function defineExecSuite(storeName: string, freshStore: () => Promise<string>): void {
  describe(`cronplane exec and monitors on ${storeName}`, () => {
    const daemons: ApiDaemon[] = [];
    after(async () => {
      for (const daemon of daemons) await daemon.stop();
    });
    const start = async () => {
      const daemon = await startApiDaemon({ yaml: monitorYaml, storeUrl: await freshStore() });
      daemons.push(daemon);
      return daemon;
    };

    it('wraps a failing command: exit code 3, the daemon records start and exit 3 with its output, the monitor goes down', async () => {
      const api = await start();
      const result = await cronplane(
        ['exec', '--monitor', 'backup', '--', 'sh', '-c', 'echo working; echo boom >&2; exit 3'],
        {
          CRONPLANE_SERVER: api.url,
          CRONPLANE_TOKEN: bootstrapToken,
        },
      );
      assert.equal(result.code, 3, result.stderr);
      assert.equal(result.stdout, 'working\n', 'the output passes through');
      assert.equal(result.stderr, 'boom\n', 'and nothing else is said');
      const { pings } = await api.daemon.store.listPings({ monitor: 'backup' });
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.exitCode]),
        [
          ['exit', 3],
          ['start', null],
        ],
      );
      assert.equal(pings[0]?.runKey, pings[1]?.runKey);
      assert.match(pings[0]?.runKey ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(typeof pings[0]?.durationMs, 'number');
      assert.match(pings[0]?.body ?? '', /boom/);
      assert.match(pings[0]?.body ?? '', /working/);
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'down');
    });

    it('pings the URL given with --ping-url, and exits 0 with the monitor up', async () => {
      const api = await start();
      const monitor = await api.daemon.store.getMonitor('nightly');
      const result = await cronplane([
        'exec',
        '--monitor',
        'nightly',
        '--ping-url',
        `${api.url}/ping/${monitor?.pingId}/`,
        '--',
        'true',
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await api.daemon.store.getMonitor('nightly'))?.status, 'up');
      const { pings } = await api.daemon.store.listPings({ monitor: 'nightly' });
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.exitCode]),
        [
          ['exit', 0],
          ['start', null],
        ],
      );
    });

    it('still runs the command and keeps its exit code when no daemon answers, with a warning', async () => {
      const port = await closedPort();
      const result = await cronplane(['exec', '--monitor', 'backup', '--', 'sh', '-c', 'echo ran; exit 7'], {
        CRONPLANE_SERVER: `http://127.0.0.1:${port}`,
        CRONPLANE_TOKEN: bootstrapToken,
      });
      assert.equal(result.code, 7);
      assert.equal(result.stdout, 'ran\n');
      assert.match(
        result.stderr,
        /warning: cannot find the ping URL of monitor "backup".*connection refused/,
      );
      const direct = await cronplane([
        'exec',
        '--monitor',
        'backup',
        '--ping-url',
        `http://127.0.0.1:${port}/ping/abcdefabcdefabcdef`,
        '--',
        'sh',
        '-c',
        'exit 4',
      ]);
      assert.equal(direct.code, 4);
      assert.match(
        direct.stderr,
        /warning: ping http:\/\/127\.0\.0\.1:\d+\/ping\/abcd…\/start\?rid=.* failed \(ECONNREFUSED\)/,
      );
      assert.doesNotMatch(direct.stderr, /abcdefabcdef/, 'the ping id is not printed whole');
    });

    it('exits 128+n for a command killed by signal n, and 127 for one that does not exist, telling the monitor', async () => {
      const api = await start();
      const env = { CRONPLANE_SERVER: api.url, CRONPLANE_TOKEN: bootstrapToken };
      const killed = await cronplane(['exec', '--monitor', 'backup', '--', 'sh', '-c', 'kill -TERM $$'], env);
      assert.equal(killed.code, 143);
      const missing = await cronplane(['exec', '--monitor', 'backup', '--', 'no-such-command-here'], env);
      assert.equal(missing.code, 127);
      assert.match(missing.stderr, /cannot run "no-such-command-here": command not found/);
      const { pings } = await api.daemon.store.listPings({ monitor: 'backup' });
      assert.deepEqual(
        pings.filter((ping) => ping.kind === 'exit').map((ping) => ping.exitCode),
        [127, 143],
      );
    });

    it('lists monitors with status, last ping and ping URL over the API and from the store', async () => {
      const api = await start();
      const monitor = await api.daemon.store.getMonitor('backup');
      await api.request('GET', `/ping/${monitor?.pingId}`, { token: null });
      const over = await cronplane(['monitors', '--server', api.url], { CRONPLANE_TOKEN: bootstrapToken });
      assert.equal(over.code, 0, over.stderr);
      const lines = over.stdout.trim().split('\n');
      assert.equal(lines[0], 'NAME\tSTATUS\tPAUSED SINCE (UTC)\tLAST PING (UTC)\tPING URL');
      assert.match(
        lines[1] ?? '',
        new RegExp(`^backup\\tup\\t-\\t\\d{4}-\\d\\d-\\d\\dT[^\\t]+\\t${api.url}/ping/${monitor?.pingId}$`),
      );
      assert.match(lines[2] ?? '', /^nightly\tnew\t-\t-\thttp:\/\//);
      const local = await cronplane([
        'monitors',
        '--config',
        api.configFile,
        '--store',
        api.daemon.options.storeUrl,
        '--json',
      ]);
      assert.equal(local.code, 0, local.stderr);
      const records = local.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        records.map((record) => [record['name'], record['status'], record['paused']]),
        [
          ['backup', 'up', false],
          ['nightly', 'new', false],
        ],
      );
      assert.equal(records[0]?.['pingUrl'], `http://127.0.0.1:7070/ping/${monitor?.pingId}`);
    });
  });
}
