/** Test helpers: what the executor starts for an imported job, and that command run for real. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { ResolvedJob } from '../../src/config/index.ts';
import { commandLine } from '../../src/executors/command-line.ts';

/** What the executor would start for a loaded job. */
export function started(job: ResolvedJob): readonly string[] {
  assert.equal(job.target.kind, 'command');
  const { argv, shell } = job.target as unknown as { argv: readonly string[]; shell: boolean };
  return commandLine(argv, shell, {
    job: job.name,
    run_id: '1',
    attempt: '1',
    scheduled_at: 'x',
    fan_key: '',
  }).command;
}

/** Runs the started command for real (it must be harmless) and answers its standard output. */
export function output(job: ResolvedJob): string {
  const [program, ...args] = started(job);
  return execFileSync(program as string, args, {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
}
