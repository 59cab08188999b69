/**
 * `cronplane start` and the signals that arrive while the daemon is still starting: each is kept
 * and acted on once it has started, never Node's default (which ends the process with runs
 * left running). In the test's own process, so the signal is sent at a known point: as soon as
 * the command listens for SIGTERM, before the daemon has started.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { main } from '../../src/cli/main.ts';
import { waitFor } from '../support/engine-harness.ts';

const oneJob = 'version: 1\njobs:\n  first: { run: "true" }\n';
const twoJobs = 'version: 1\njobs:\n  first: { run: "true" }\n  second: { run: "true" }\n';

it('reloads the job file once started when SIGHUP came while it was starting', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-start-signals-'));
  try {
    const file = path.join(folder, 'cronplane.yaml');
    writeFileSync(file, oneJob);
    const out: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: () => {},
      env: { PATH: process.env['PATH'] ?? '' },
      cwd: folder,
      isTty: false,
    };
    const terms = process.listenerCount('SIGTERM');
    const exit = main(
      ['start', '--config', file, '--store', `sqlite:${path.join(folder, 'store.db')}`, '--listen', 'off'],
      io,
    );
    const logged = (message: string) =>
      out
        .map((line) => JSON.parse(line) as { msg?: string; jobs?: number })
        .find((line) => line.msg === message);
    try {
      // The command listens for signals: the daemon has not started yet (it says so when it has).
      await waitFor(
        'the command to listen for signals',
        () => process.listenerCount('SIGTERM') > terms,
        10_000,
      );
      assert.equal(logged('cronplane started: 1 jobs'), undefined, 'still starting');
      writeFileSync(file, twoJobs);
      process.emit('SIGHUP');
      const reloaded = await waitFor('the reload', () => logged('job file reloaded'), 10_000);
      assert.equal(reloaded.jobs, 2);
      assert.ok(logged('cronplane started: 1 jobs'), 'it started from the file as first read');
    } finally {
      process.emit('SIGTERM');
    }
    assert.equal(await exit, 0);
    assert.equal(process.listenerCount('SIGHUP'), 0, 'no listener left behind');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
