/**
 * docs/monitors.md stays true: its job file declares the monitors it says, and its curl lines,
 * run by bash against a real daemon, store the pings it describes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { configOf } from '../support/engine-harness.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { repositoryRoot } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const run = promisify(execFile);
const markdown = readFileSync(path.join(repositoryRoot, 'docs/monitors.md'), 'utf8');
const fenced = (language: string): string[] => {
  const opening = new RegExp(`^\`\`\`${language}$`, 'm');
  return markedBlocks(markdown)
    .filter((block) => opening.test(markdown.split('\n')[block.line - 1] ?? ''))
    .map((block) => block.text);
};
const env = { SLACK_WEBHOOK: 'https://hooks.slack.com/services/T0/B0/x' };

const harness = await createSqliteHarness();
const daemons: ApiDaemon[] = [];
after(async () => {
  for (const daemon of daemons) await daemon.stop();
  await harness.close();
});

describe('docs/monitors.md', () => {
  const [jobFile] = fenced('yaml');
  const [curls, pausing] = fenced('sh');

  it('declares the monitors it describes, each valid', () => {
    assert.ok(jobFile !== undefined, 'a yaml block');
    const config = configOf(jobFile, env);
    assert.deepEqual(
      config.monitors.map((monitor) => monitor.name),
      ['nightly-backup', 'queue-sweeper', 'weekly-export'],
    );
  });

  it('stores the pings its curl lines send: success, start, exit code with the log, failure', async () => {
    assert.ok(jobFile !== undefined && curls !== undefined, 'a yaml and a sh block');
    await harness.reset();
    const api = await startApiDaemon({ yaml: jobFile, storeUrl: harness.url, env });
    daemons.push(api);
    const monitor = await api.daemon.store.getMonitor('nightly-backup');
    assert.ok(monitor);
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-monitors-doc-'));
    const log = path.join(folder, 'backup.log');
    writeFileSync(log, 'dumped 42 tables\n');
    const script = curls
      .replace(/^PING=.*$/m, `PING=${api.url}/ping/${monitor.pingId}`)
      .replaceAll('/var/log/backup.log', log);
    assert.notEqual(script, curls, 'the example names a ping URL and a log file to replace');
    await run('bash', ['-e', '-c', `RID=doc-run-1\n${script}`]);

    const { pings } = await api.daemon.store.listPings({ monitor: 'nightly-backup' });
    assert.deepEqual(
      pings.map((ping) => [ping.kind, ping.exitCode, ping.runKey]),
      [
        ['fail', null, null],
        ['exit', 0, null],
        ['start', null, 'doc-run-1'],
        ['success', null, null],
      ],
    );
    assert.equal(pings[1]?.body, 'dumped 42 tables\n');
    assert.equal(
      (await api.daemon.store.getMonitor('nightly-backup'))?.status,
      'down',
      'the last ping failed',
    );
  });

  it('pauses and resumes the monitor its Pausing section names, with the commands it shows', async () => {
    assert.ok(jobFile !== undefined && pausing !== undefined, 'a yaml and a second sh block');
    await harness.reset();
    const api = await startApiDaemon({ yaml: jobFile, storeUrl: harness.url, env });
    daemons.push(api);
    const commands = pausing
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter((line) => line.startsWith('cronplane '));
    assert.deepEqual(commands, [
      'cronplane monitors pause nightly-backup',
      'cronplane monitors resume nightly-backup',
    ]);
    assert.match(pausing, /^export CRONPLANE_SERVER=\S+ CRONPLANE_TOKEN=\S+/m, 'it says where and with what');
    // The daemon and the token the example's export line stands for.
    const daemonEnv = { CRONPLANE_SERVER: api.url, CRONPLANE_TOKEN: bootstrapToken };
    const states: Array<[boolean | undefined, string | undefined]> = [];
    for (const command of commands) {
      const result = await runCronplaneInProcess(command.split(' ').slice(1), { env: daemonEnv });
      assert.equal(result.code, 0, `${command}: ${result.stderr}`);
      const monitor = await api.daemon.store.getMonitor('nightly-backup');
      states.push([monitor?.paused, monitor?.status]);
    }
    assert.deepEqual(states, [
      [true, 'new'],
      [false, 'new'],
    ]);
  });
});
