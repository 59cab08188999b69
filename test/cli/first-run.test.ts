import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, it } from 'node:test';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { main } from '../../src/cli/main.ts';
import { waitFor } from '../support/engine-harness.ts';
import { repositoryRoot, runCronplane, startDaemonProcess } from '../support/run-cronplane.ts';

const quickstart = path.join(repositoryRoot, 'examples/quickstart/cronplane.yaml');

interface RunLine {
  readonly event: string;
  readonly job: string;
  readonly key: string | null;
  readonly run: number;
  readonly status?: string;
  readonly exitCode?: number | null;
  readonly durationMs?: number | null;
  readonly msg: string;
}

/** The JSON lines of a daemon's output that are about runs. */
function runLines(output: string): RunLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunLine & { event?: string })
    .filter((line): line is RunLine => typeof line.event === 'string' && line.event.startsWith('run:'));
}

describe('the first run: npm start, then cronplane runs in the same folder', () => {
  it('logs a JSON line per run start and end, and `cronplane runs` with no flags lists those runs', async () => {
    // npm start from a fresh folder: the quick start's job file named by --config, as package.json does.
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-first-run-'));
    const daemon = await startDaemonProcess(['--config', quickstart], { cwd: folder });
    let ended: RunLine;
    try {
      ended = await waitFor(
        'a run to end',
        () => runLines(daemon.output()).find((line) => line.event === 'run:end'),
        20_000,
      );
    } finally {
      await daemon.stop();
    }
    const started = runLines(daemon.output()).find(
      (line) => line.event === 'run:start' && line.run === ended.run,
    );
    assert.ok(started, `no start line for run ${ended.run}:\n${daemon.output()}`);
    assert.equal(started.job, ended.job);
    assert.match(started.msg, new RegExp(`^run ${ended.run} ${ended.job}( \\[.+\\])? started$`));
    assert.ok(['succeeded', 'failed'].includes(ended.status ?? ''), ended.status);
    assert.equal(typeof ended.exitCode, 'number');
    assert.ok(typeof ended.durationMs === 'number' && ended.durationMs >= 0, String(ended.durationMs));
    assert.ok('key' in ended);

    const runs = await runCronplane(['runs'], { cwd: folder });
    assert.equal(runs.code, 0, runs.stderr);
    const row = runs.stdout.split('\n').find((line) => line.startsWith(`${ended.run}\t`));
    assert.ok(row, `run ${ended.run} is not listed:\n${runs.stdout}${runs.stderr}`);
    assert.equal(row.split('\t')[1], ended.job);
    assert.equal(row.split('\t')[5], ended.status);
  });

  it('shows each run start and end as one readable line on a terminal', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-first-run-tty-'));
    const file = path.join(folder, 'cronplane.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'jobs:',
        '  tick:',
        '    schedule: every 1s',
        '    for_each: { name: [alice] }',
        '    run: echo "tick {name}"',
        '',
      ].join('\n'),
    );
    const out: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(stripVTControlCharacters(line)),
      err: () => {},
      env: { PATH: process.env['PATH'] ?? '' },
      cwd: folder,
      isTty: true,
    };
    const exit = main(['start', '--config', file, '--listen', 'off'], io);
    const text = () => out.join('\n');
    try {
      await waitFor('a run to end', () => /succeeded/.test(text()), 10_000);
    } finally {
      process.emit('SIGTERM');
    }
    assert.equal(await exit, 0);
    const lines = text().split('\n');
    const start = lines.findIndex((line) => /INFO: run \d+ tick \[alice\] started$/.test(line));
    assert.ok(start >= 0, text());
    // No field lines follow it: the message is the whole line.
    assert.doesNotMatch(lines[start + 1] ?? '', /^\s+\w+:/);
    const end = lines.find((line) =>
      /INFO: run \d+ tick \[alice\] succeeded: exit 0, in \d+\.\d\d s$/.test(line),
    );
    assert.ok(end !== undefined, text());
    assert.doesNotMatch(text(), /"event"/);
  });
});
