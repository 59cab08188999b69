/** Job tags: labels people filter jobs by, from the job or `defaults:`, each checked. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-tags-'));
let counter = 0;

function jobsOf(text: string): readonly ResolvedJob[] {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, `version: 1\n${text}`);
  return readConfig(file, { kinds: builtinKinds, env: {} }).jobs;
}

function problemsOf(text: string): string[] {
  try {
    jobsOf(text);
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return thrown.problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  assert.fail('expected the job file to be refused');
}

describe('job tags', () => {
  it('takes a job’s own tags, else those of defaults:, else none', () => {
    const jobs = jobsOf(
      'defaults:\n  tags: [team-a]\njobs:\n' +
        '  own:\n    run: echo hi\n    tags: [billing, "team:data", tier-1.eu_west]\n' +
        '  inherited:\n    run: echo hi\n',
    );
    const byName = new Map(jobs.map((job) => [job.name, job.tags]));
    assert.deepEqual(byName.get('own'), ['billing', 'team:data', 'tier-1.eu_west']);
    assert.deepEqual(byName.get('inherited'), ['team-a']);
    assert.deepEqual(jobsOf('jobs:\n  bare:\n    run: echo hi\n')[0]?.tags, []);
  });

  it('refuses an empty tag, one with a space or a slash, and one over 64 characters, naming each place', () => {
    const problems = problemsOf(
      `jobs:\n  bad:\n    run: echo hi\n    tags: ["", "two words", "a/b", ${'x'.repeat(65)}, fine]\n`,
    );
    assert.deepEqual(
      problems.map((problem) => problem.split(':')[0]),
      ['jobs.bad.tags[0]', 'jobs.bad.tags[1]', 'jobs.bad.tags[2]', 'jobs.bad.tags[3]'],
    );
    assert.match(problems[0] ?? '', /1 to 64 letters, digits/);
    assert.deepEqual(
      problemsOf('defaults:\n  tags: ["no spaces"]\njobs:\n  a:\n    run: echo hi\n').map(
        (p) => p.split(':')[0],
      ),
      ['defaults.tags[0]'],
    );
  });
});
