/** `cooldown` and `max_per_run`: job settings any job (and `defaults:`) may give, checked at their line. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-run-limits-'));
let counter = 0;

function fileOf(text: string): string {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, `version: 1\n${text}`);
  return file;
}

function jobsOf(text: string): ReadonlyMap<string, ResolvedJob> {
  const jobs = readConfig(fileOf(text), { kinds: builtinKinds, env: {} }).jobs;
  return new Map(jobs.map((job) => [job.name, job]));
}

/** Each problem as `file:line path: message`. */
function problemsOf(text: string): { file: string; problems: string[] } {
  const file = fileOf(text);
  try {
    readConfig(file, { kinds: builtinKinds, env: {} });
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return {
      file,
      problems: thrown.problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.path}: ${p.message}`),
    };
  }
  assert.fail('expected the job file to be refused');
}

describe('cooldown and max_per_run', () => {
  it('takes them from the job, else from defaults:, as milliseconds and a count', () => {
    const jobs = jobsOf(
      'defaults:\n  cooldown: 6h\n  max_per_run: 10\njobs:\n' +
        '  own:\n    run: echo hi\n    cooldown: 90m\n    max_per_run: 3\n' +
        '  inherited:\n    run: echo hi\n',
    );
    assert.deepEqual([jobs.get('own')?.cooldownMs, jobs.get('own')?.maxPerRun], [90 * 60_000, 3]);
    assert.deepEqual(
      [jobs.get('inherited')?.cooldownMs, jobs.get('inherited')?.maxPerRun],
      [6 * 3_600_000, 10],
    );
    const bare = jobsOf('jobs:\n  bare:\n    run: echo hi\n').get('bare');
    assert.deepEqual([bare?.cooldownMs, bare?.maxPerRun], [undefined, undefined]);
  });

  it('refuses a negative cooldown and a max_per_run below 1, naming the file and line of each', () => {
    const { file, problems } = problemsOf(
      'jobs:\n  bad:\n    run: echo hi\n    cooldown: -1h\n    max_per_run: 0\n',
    );
    const name = path.basename(file);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(
      problems[0] ?? '',
      new RegExp(`^${name}:5 jobs\\.bad\\.cooldown: duration: "-1h" is not a number`),
    );
    assert.match(problems[1] ?? '', new RegExp(`^${name}:6 jobs\\.bad\\.max_per_run: .*>=1`));
  });

  it('makes max_per_run the default of queue.max_per_run, the queue’s own winning', () => {
    const jobs = jobsOf(
      'jobs:\n' +
        '  inherits:\n    run: cat\n    max_per_run: 4\n    queue: {}\n' +
        '  own:\n    run: cat\n    max_per_run: 4\n    queue: { max_per_run: 2 }\n',
    );
    assert.deepEqual([jobs.get('inherits')?.queue?.maxPerRun, jobs.get('inherits')?.maxPerRun], [4, 4]);
    assert.deepEqual([jobs.get('own')?.queue?.maxPerRun, jobs.get('own')?.maxPerRun], [2, 2]);
  });

  it('knows {max_per_run} only in a job that has it, and keeps the name from parameters', () => {
    assert.ok(jobsOf('jobs:\n  ok:\n    run: echo {max_per_run}\n    max_per_run: 5\n').has('ok'));
    const unknown = problemsOf('jobs:\n  no:\n    run: echo {max_per_run}\n').problems;
    assert.match(unknown[0] ?? '', /:4 jobs\.no\.run: unknown placeholder \{max_per_run\}/);
    const param = problemsOf('jobs:\n  p:\n    run: echo hi\n    params: { max_per_run: "3" }\n').problems;
    assert.match(
      param[0] ?? '',
      /jobs\.p\.params\.max_per_run: "max_per_run" is already a built-in placeholder/,
    );
  });
});
