/**
 * Test helper: an exported command that runs a job's `pre:` steps, run for real, does not run the
 * main command when a step fails and runs it after them when they pass, as cronplane does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `exportedArgv` gets the job's settings (`schedule`, `pre`, `run`) as job-file lines and answers
 * the argv the platform would start; it is run twice, with the second pre step failing and passing.
 */
export function assertPreStepsGuardTheCommand(exportedArgv: (lines: string) => readonly string[]): void {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-pre-'));
  const log = path.join(folder, 'log');
  const flag = path.join(folder, 'ready');
  const argv = exportedArgv(
    [
      'schedule: "0 3 * * *"',
      `pre: [[/usr/bin/touch, ${log}], { run: "echo pre >> ${log}; test -e ${flag}", shell: true }]`,
      `run: "echo main >> ${log}; echo again >> ${log}"`,
      'shell: true',
    ].join('\n'),
  );
  const run = () => spawnSync(argv[0] ?? '', argv.slice(1)).status;
  const read = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  assert.notEqual(run(), 0, argv.join(' '));
  assert.equal(read(), 'pre\n', `the command ran although a pre step failed: ${argv.join(' ')}`);
  writeFileSync(flag, '');
  rmSync(log);
  assert.equal(run(), 0, argv.join(' '));
  assert.equal(read(), 'pre\nmain\nagain\n', argv.join(' '));
}
