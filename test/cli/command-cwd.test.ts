/**
 * The commands that read the job file find it in the command's working folder (`io.cwd`) and
 * read it from there too, never from the process's: run in process with another folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

describe('commands that read ./cronplane.yaml of a working folder other than the process’s', () => {
  let folder: string;
  let receiver: HttpReceiver;

  before(async () => {
    receiver = await startHttpReceiver();
    folder = mkdtempSync(path.join(tmpdir(), 'cronplane-cwd-'));
    assert.notEqual(folder, process.cwd());
    writeFileSync(
      path.join(folder, 'cronplane.yaml'),
      [
        'version: 1',
        'retention: { runs: 30d }',
        'channels:',
        `  hook: { webhook: { url: "${receiver.url}/hook" } }`,
        'jobs:',
        '  mark:',
        '    schedule: "0 3 * * *"',
        '    run: ["touch", "ran-here"]',
        '    cwd: .',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await receiver.close();
  });

  const inFolder = (args: readonly string[]) => runCronplaneInProcess(args, { cwd: folder });

  it('validate reads the file it found there', async () => {
    const result = await inFolder(['validate']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^cronplane\.yaml: ok, 1 job, 0 monitors, 1 channel/);
  });

  it('next reads the job from there', async () => {
    const result = await inFolder(['next', 'mark', '-n', '1', '--after', '2026-01-01T00:00:00Z']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /2026-01-01T03:00:00\.000Z/);
  });

  it('notify test sends to the channel of that file', async () => {
    const result = await inFolder(['notify', 'test', 'hook']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(receiver.requests.at(-1)?.path, '/hook');
  });

  it('run runs the job, its cwd taken from the folder of that file', async () => {
    const result = await inFolder(['run', 'mark']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(path.join(folder, 'ran-here')), 'the job ran in the job file’s folder');
    assert.ok(
      existsSync(path.join(folder, 'data', 'cronplane.db')),
      'the run was recorded in the default store there',
    );
  });

  it('prune applies the retention of that file', async () => {
    const result = await inFolder(['prune']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /30/);
  });

  it('a relative --config is read from that folder as well', async () => {
    const result = await inFolder(['validate', '--config', 'cronplane.yaml']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^cronplane\.yaml: ok/);
  });
});
