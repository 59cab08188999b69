import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readConfig, unsetJobSettings } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { jobSpec } from '../../src/engine/job-spec.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { configOf } from '../support/engine-harness.ts';

/** The one job of a file whose `jobs:` is this entry. */
function jobWith(...entry: string[]): ResolvedJob {
  const job = configOf(
    ['version: 1', 'jobs:', '  one:', ...entry.map((line) => `    ${line}`), ''].join('\n'),
  ).jobs[0];
  assert.ok(job !== undefined);
  return job;
}

/**
 * Every setting of a resolved job as plain JSON, written out here rather than by the code under
 * test: schedules as text and syntax, Maps as objects, secrets as `***`, no hash.
 */
function wholeJob(job: ResolvedJob): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      ...job,
      configHash: undefined,
      schedules: job.schedules.map((schedule) => ({ text: schedule.text, syntax: schedule.spec.syntax })),
      exitCodes: Object.fromEntries(job.exitCodes),
      guards: Object.fromEntries(job.guards),
    }),
  ) as Record<string, unknown>;
}

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
    assert.deepEqual((spec as Record<string, unknown>)['env'], { TOKEN: '***' });
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

  it('leaves out what a job that sets nothing has: a job of one schedule and one command is its name, schedules and target', () => {
    const spec = jobSpec(jobWith('schedule: "5 * * * *"', 'run: "true"'));
    assert.deepEqual(spec, {
      name: 'one',
      schedules: [{ text: '5 * * * *', syntax: 'cron' }],
      target: { kind: 'command', argv: ['true'], shell: false },
    });
  });

  it('keeps each setting that differs from a job that sets nothing, from the job or from defaults:', () => {
    const spec = jobSpec(
      configOf(
        [
          'version: 1',
          'timezone: Europe/Berlin',
          'defaults: { priority: 3, tags: [nightly] }',
          'jobs:',
          '  one: { run: "true", retry: { attempts: 2 }, enabled: false }',
          '',
        ].join('\n'),
      ).jobs[0] as ResolvedJob,
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(spec), [
      'name',
      'enabled',
      'timezone',
      'target',
      'retry',
      'tags',
      'priority',
    ]);
    assert.equal(spec['timezone'], 'Europe/Berlin');
    assert.deepEqual(spec['retry'], { ...unsetJobSettings.retry, attempts: 2 });
    assert.deepEqual([spec['enabled'], spec['priority'], spec['tags']], [false, 3, ['nightly']]);
  });

  it('gives a setting written with the value a job gets anyway the hash of the job without it', () => {
    const bare = jobWith('run: "true"');
    assert.equal(jobWith('run: "true"', 'retry: { attempts: 1 }', 'priority: 0').configHash, bare.configHash);
    assert.notEqual(jobWith('run: "true"', 'retry: { attempts: 2 }').configHash, bare.configHash);
    assert.notEqual(jobWith('run: "true"', 'priority: 1').configHash, bare.configHash);
  });

  it('tells the settings of each job apart when jobs of one file take turns with and without them', () => {
    const jobs = configOf(
      [
        'version: 1',
        'jobs:',
        '  a: { run: "true" }',
        '  b: { run: "true", retry: { attempts: 2 }, tags: [x] }',
        '  c: { run: "true" }',
        '  d: { run: "true", retry: { attempts: 2 } }',
        '  e: { run: "true", retry: { attempts: 1 }, tags: [x] }',
        '',
      ].join('\n'),
    ).jobs;
    assert.deepEqual(
      jobs.map((job) => [job.name, Object.keys(jobSpec(job) as object).filter((key) => key !== 'target')]),
      [
        ['a', ['name']],
        ['b', ['name', 'retry', 'tags']],
        ['c', ['name']],
        ['d', ['name', 'retry']],
        ['e', ['name', 'tags']],
      ],
    );
  });

  it('loses nothing: the settings of a job that sets nothing, then the spec, are the whole job, for every job of the examples', () => {
    const examples = path.join(import.meta.dirname, '..', '..', 'examples');
    let jobs = 0;
    for (const name of readdirSync(examples)) {
      const file = path.join(examples, name, 'cronplane.yaml');
      if (!existsSync(file)) continue;
      for (const job of readConfig(file, { kinds: builtinKinds, env: {} }).jobs) {
        const whole = wholeJob(job);
        const spec = jobSpec(job) as Record<string, unknown>;
        assert.deepStrictEqual({ ...unsetJobSettings, ...spec }, { ...unsetJobSettings, ...whole }, job.name);
        // Nothing in the whole job is missing from the two: every key is one or the other.
        for (const key of Object.keys(whole)) assert.ok(key in spec || key in unsetJobSettings, key);
        jobs += 1;
      }
    }
    assert.ok(jobs >= 20, `${jobs} jobs in the examples`);
  });
});
