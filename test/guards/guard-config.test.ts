/** Guards as the job file declares them: located errors for bad rules, and numbers read by default. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import type { ConfigProblem } from '../../src/config/index.ts';
import { configOf } from '../support/engine-harness.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

function problemsOf(yaml: string): readonly ConfigProblem[] {
  try {
    resolveConfig(loadJobFileText(yaml, 'guards.yaml', { kinds: builtinKinds }));
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
    return thrown.problems;
  }
  assert.fail('expected the job file to be rejected');
}

function jobWith(guard: string): string {
  return `version: 1
jobs:
  eval:
    schedule: daily
    run: ./eval
    guards:
      spike: ${guard}
`;
}

describe('guards in the job file', () => {
  it('reads the last JSON line of a command job that has guards, unless metrics says otherwise', () => {
    const config = configOf(`version: 1
jobs:
  guarded: { schedule: daily, run: ./eval, guards: { low: { metric: rate, below: 0.5 } } }
  told: { schedule: daily, run: ./eval, metrics: none, guards: { low: { metric: rate, below: 0.5 } } }
  plain: { schedule: daily, run: ./eval }
`);
    const from = Object.fromEntries(config.jobs.map((job) => [job.name, job.metrics.from]));
    assert.deepEqual(from, { guarded: 'stdout_json', told: 'none', plain: 'none' });
  });

  it('rejects a guard with no condition, at the guard', () => {
    const [problem, ...rest] = problemsOf(jobWith('{ metric: refusal_rate }'));
    assert.equal(rest.length, 0);
    assert.equal(problem?.path, 'jobs.eval.guards.spike');
    assert.match(problem?.message ?? '', /at least one condition: above, below, rise_by or drop_by/);
    assert.equal(problem?.line, 7);
  });

  it('rejects a change threshold that is not positive, an unknown baseline and a lookback of 0, each at its field', () => {
    const problems = problemsOf(
      jobWith('{ metric: refusal_rate, rise_by: -0.05, baseline: average, lookback: 0, severity: loud }'),
    );
    assert.deepEqual(problems.map((problem) => problem.path).sort(), [
      'jobs.eval.guards.spike.baseline',
      'jobs.eval.guards.spike.lookback',
      'jobs.eval.guards.spike.rise_by',
      'jobs.eval.guards.spike.severity',
    ]);
    const baseline = problems.find((problem) => problem.path.endsWith('baseline'));
    assert.match(baseline?.message ?? '', /mean.*median/);
  });

  it('rejects a cool-down without a unit, naming the fix', () => {
    const [problem] = problemsOf(jobWith('{ metric: refusal_rate, rise_by: 0.05, cooldown: 24 }'));
    assert.equal(problem?.path, 'jobs.eval.guards.spike.cooldown');
    assert.match(problem?.message ?? '', /"24s"/);
  });
});
