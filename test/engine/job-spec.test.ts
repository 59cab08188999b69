import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { jobSpec } from '../../src/engine/job-spec.ts';
import { configOf } from '../support/engine-harness.ts';

describe('a job as the jobs table stores it', () => {
  const config = configOf(
    [
      'version: 1',
      'jobs:',
      '  backup:',
      '    schedule: "0 3 * * *"',
      '    run: backup --all',
      '    exit_codes: { "3": skip }',
      '    guards: { slow: { metric: ms, above: 5 } }',
      '    env: { TOKEN: { secret: "s3cr3t-value" } }',
      '',
    ].join('\n'),
  );
  const job = config.jobs[0];
  assert.ok(job !== undefined);

  it('writes the exit codes and guards, Maps in the resolved job, as objects', () => {
    const spec = jobSpec(job) as Record<string, unknown>;
    assert.deepEqual(spec['exitCodes'], { 3: 'skip' });
    assert.deepEqual(Object.keys(spec['guards'] as object), ['slow']);
  });

  it('is plain JSON: the same value after a round trip, with no secret in it', () => {
    const spec = jobSpec(job);
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
    assert.doesNotMatch(JSON.stringify(spec), /s3cr3t-value/);
    assert.equal((spec as Record<string, unknown>)['name'], 'backup');
  });

  it('holds each schedule as its text and syntax, not the calendar model parsed from them', () => {
    const spec = jobSpec(job) as Record<string, unknown>;
    assert.deepEqual(spec['schedules'], [{ text: '0 3 * * *', syntax: 'cron' }]);
    assert.equal(spec['configHash'], undefined, 'the hash has a column of its own');
  });

  it('is what the config hash is taken over', () => {
    const json = JSON.stringify(jobSpec(job));
    assert.equal(job.configHash, createHash('sha256').update(json).digest('hex'));
  });
});
