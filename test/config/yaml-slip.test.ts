import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadJobFileText } from '../../src/config/index.ts';
import type { ConfigProblem } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

function problemsOf(text: string): readonly ConfigProblem[] {
  try {
    loadJobFileText(text, 'cronplane.yaml', { kinds: builtinKinds, env: {} });
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return thrown.problems;
  }
  assert.fail('expected the job file to be refused');
}

/** A job file of `count` good jobs after one whose HTTP URL holds an unquoted `{tenant}`. */
function slipBeforeJobs(count: number): string {
  const lines = [
    'version: 1',
    'jobs:',
    '  fan:',
    '    schedule: every 10s',
    '    for_each: { tenant: [t1, t2] }',
    '    http: { method: POST, url: http://127.0.0.1:9/{tenant}/run, headers: { X-Job: fan } }',
  ];
  for (let index = 0; index < count; index++) {
    lines.push(`  job-${index}:`, '    schedule: every 10s', `    run: echo ${index}`, '    env: { A: "1" }');
  }
  return `${lines.join('\n')}\n`;
}

describe('one error per YAML mistake', () => {
  it('reports an unquoted {placeholder} in a flow map once, located, with the value to quote', () => {
    const problems = problemsOf(slipBeforeJobs(40));
    assert.equal(problems.length, 1, problems.map((problem) => problem.message).join('\n'));
    const [problem] = problems;
    assert.equal(problem?.file, 'cronplane.yaml');
    assert.equal(problem?.line, 6);
    assert.equal(problem?.column, 51);
    assert.match(problem?.message ?? '', /^YAML: /);
    assert.match(
      problem?.message ?? '',
      /\{tenant\} is read as a mapping here: quote the value that holds it, "http:\/\/127\.0\.0\.1:9\/\{tenant\}\/run"$/,
    );
  });

  it('names the whole item of a flow list to quote', () => {
    const problems = problemsOf(
      'version: 1\njobs:\n  a:\n    schedule: every 10s\n    run: [sh, -c, echo {job} done]\n',
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /quote the value that holds it, "echo \{job\} done"$/);
    assert.equal(problems[0]?.line, 5);
  });

  it('tells a lone {job} that YAML read as a mapping to be quoted', () => {
    const problems = problemsOf(
      'version: 1\njobs:\n  a:\n    schedule: every 10s\n    run: [echo, {job}]\n    env: { JOB: {job} }\n',
    );
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.column, problem.path, problem.message]),
      [
        [
          5,
          17,
          'jobs.a.run[1]',
          'expected string, got a mapping (YAML reads an unquoted {job} as a mapping: write "{job}")',
        ],
        [
          6,
          17,
          'jobs.a.env.JOB',
          'expected string or number or boolean, got a mapping (YAML reads an unquoted {job} as a mapping: write "{job}")',
        ],
      ],
    );
  });

  it('gives no hint for a YAML mistake that is not a placeholder', () => {
    const problems = problemsOf('version: 1\njobs:\n  a: [unclosed\n  b: { run: "echo {x}" }\n');
    assert.equal(problems.length, 1);
    assert.doesNotMatch(problems[0]?.message ?? '', /mapping here/);
  });
});
