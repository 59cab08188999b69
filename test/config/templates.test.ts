/** Templates (`template: true`) and their instances, resolved against the job file. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConfigError,
  JobEntryError,
  loadJobFile,
  readConfig,
  resolveJobEntry,
} from '../../src/config/index.ts';
import type { ConfigProblem, LoadedJobFile } from '../../src/config/index.ts';
import { checkTriggerParams } from '../../src/engine/index.ts';
import { CronplaneError } from '../../src/errors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-templates-'));
let counter = 0;

const templateFile = `version: 1
jobs:
  nightly:
    schedule: "@daily"
    run: "true"
  orchestrate:
    template: true
    description: per-project orchestration
    schedule: "every {frequency_hours}h"
    run: ["./orchestrate", "--project", "{project_id}", "--max", "{batch_size}"]
    params:
      project_id: { type: string, pattern: '^[a-z0-9-]{1,40}$' }
      frequency_hours: { type: integer, min: 1, max: 168, default: 6 }
      batch_size: 10
`;

function write(text: string): string {
  const file = path.join(folder, `cronplane-${++counter}.yaml`);
  writeFileSync(file, text);
  return file;
}

function loaded(text = templateFile): LoadedJobFile {
  return loadJobFile(write(text), { kinds: builtinKinds, env: {} });
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    readConfig(write(text), { kinds: builtinKinds, env: {} });
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return [...thrown.problems];
  }
  assert.fail('expected the job file to be refused');
}

function entryProblems(base: LoadedJobFile, name: string, entry: unknown): string[] {
  try {
    resolveJobEntry(base, name, entry);
  } catch (thrown) {
    assert.ok(thrown instanceof JobEntryError, String(thrown));
    return thrown.problems.map((problem) => `${problem.pointer}: ${problem.message}`);
  }
  assert.fail('expected the entry to be refused');
}

describe('templates in the job file', () => {
  it('reads a template whose schedule holds placeholders: no schedule in force, its texts kept', () => {
    const config = readConfig(write(templateFile), { kinds: builtinKinds, env: {} });
    const template = config.jobs.find((job) => job.name === 'orchestrate');
    assert.deepEqual(template?.schedules, [], 'a template never fires itself');
    assert.deepEqual(template?.template, { schedules: ['every {frequency_hours}h'] });
    assert.equal(template?.params['project_id']?.default, undefined, 'a param without default is allowed');
    assert.equal(config.jobs.find((job) => job.name === 'nightly')?.template, undefined);
  });

  it('refuses an unknown placeholder in a template schedule at its file:line', () => {
    const problems = problemsOf(templateFile.replace('every {frequency_hours}h', 'every {hours}h'));
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem?.path, 'jobs.orchestrate.schedule');
    assert.equal(problem?.line, 9);
    assert.match(
      problem?.message ?? '',
      /unknown placeholder \{hours\}.*declared params: project_id, frequency_hours, batch_size/,
    );
  });

  it('refuses a placeholder in the schedule of a job that is not a template, as before', () => {
    const problems = problemsOf(templateFile.replace('    template: true\n', ''));
    assert.ok(problems.some((problem) => problem.path === 'jobs.orchestrate.schedule'));
  });

  it('refuses after: and queue: on a template', () => {
    const problems = problemsOf(
      templateFile.replace('    template: true\n', '    template: true\n    after: [nightly]\n'),
    );
    assert.deepEqual(
      problems.map((problem) => [problem.path, problem.line]),
      [['jobs.orchestrate.after', 8]],
    );
  });

  it('refuses a trigger of the template, naming its instances route', () => {
    const template = readConfig(write(templateFile), { kinds: builtinKinds, env: {} }).jobs.find(
      (job) => job.name === 'orchestrate',
    );
    assert.ok(template !== undefined);
    assert.throws(
      () => checkTriggerParams(template, { project_id: 'x' }),
      (thrown: unknown) =>
        thrown instanceof CronplaneError &&
        thrown.code === 'engine.template' &&
        thrown.message.includes('PUT /api/jobs/orchestrate/instances/{key}'),
    );
  });
});

describe('instances of a template', () => {
  it('resolves an instance: its schedule from its params, bound values as defaults, its own settings', () => {
    const job = resolveJobEntry(loaded(), 'orchestrate.acme', {
      template: 'orchestrate',
      params: { project_id: 'acme', frequency_hours: 2 },
      description: 'Acme',
      tags: ['acme'],
      timezone: 'Europe/Paris',
    });
    assert.deepEqual(
      job.schedules.map((schedule) => schedule.text),
      ['every 2h'],
    );
    assert.equal(job.template, undefined);
    assert.deepEqual(job.instance, {
      template: 'orchestrate',
      key: 'acme',
      params: { project_id: 'acme', frequency_hours: '2', batch_size: '10' },
    });
    assert.equal(job.description, 'Acme');
    assert.deepEqual(job.tags, ['acme']);
    assert.equal(job.timezone, 'Europe/Paris');
    assert.equal(job.params['frequency_hours']?.default, '2');
    assert.equal(job.target.kind, 'command');
  });

  it("sets seed 002's per-project max_per_run and cooldown as the instance's own job settings", () => {
    const base = loaded();
    const own = resolveJobEntry(base, 'orchestrate.acme', {
      template: 'orchestrate',
      params: { project_id: 'acme' },
      max_per_run: 5,
      cooldown: '12h',
    });
    assert.equal(own.maxPerRun, 5);
    assert.equal(own.cooldownMs, 12 * 3_600_000);
    const plain = resolveJobEntry(base, 'orchestrate.beta', {
      template: 'orchestrate',
      params: { project_id: 'beta' },
    });
    assert.equal(plain.maxPerRun, undefined);
    assert.equal(plain.cooldownMs, undefined);
    const refused = entryProblems(base, 'orchestrate.gamma', {
      template: 'orchestrate',
      params: { project_id: 'gamma' },
      max_per_run: 0,
    });
    assert.equal(refused.length, 1);
    assert.match(refused[0] ?? '', /^\/max_per_run: /);
  });

  it('takes a template default for a param the instance leaves out', () => {
    const job = resolveJobEntry(loaded(), 'orchestrate.beta', {
      template: 'orchestrate',
      params: { project_id: 'beta' },
    });
    assert.deepEqual(
      job.schedules.map((schedule) => schedule.text),
      ['every 6h'],
    );
  });

  it('locates bad params by JSON pointer: out of range, not matching, undeclared, missing', () => {
    const base = loaded();
    assert.deepEqual(
      entryProblems(base, 'orchestrate.a', {
        template: 'orchestrate',
        params: { project_id: 'a; rm -rf /', frequency_hours: 200, colour: 'red' },
      }),
      [
        '/params/project_id: parameter "project_id" must match ^[a-z0-9-]{1,40}$',
        '/params/frequency_hours: parameter "frequency_hours" must be an integer between 1 and 168',
        '/params/colour: template "orchestrate" takes no parameter "colour"; it takes: project_id, frequency_hours, batch_size',
      ],
    );
    assert.deepEqual(entryProblems(base, 'orchestrate.a', { template: 'orchestrate', params: {} }), [
      '/params/project_id: parameter "project_id" has no default in template "orchestrate": the instance must give it',
    ]);
  });

  it('locates a schedule that its values make bad at the param and names the schedule', () => {
    const base = loaded(templateFile.replace('min: 1, max: 168', 'min: 0, max: 168'));
    const [problem] = entryProblems(base, 'orchestrate.zero', {
      template: 'orchestrate',
      params: { project_id: 'zero', frequency_hours: 0 },
    });
    assert.match(
      problem ?? '',
      /^\/params\/frequency_hours: the template's schedule "every \{frequency_hours\}h" becomes "every 0h" \(\/schedule\): /,
    );
  });

  it('refuses a job that is no template, an unknown template, a wrong name, a key of what runs', () => {
    const base = loaded();
    assert.deepEqual(entryProblems(base, 'nightly.x', { template: 'nightly', params: {} }), [
      `/template: job "nightly" of ${base.file} is not a template (it does not say template: true)`,
    ]);
    assert.match(
      entryProblems(base, 'nope.x', { template: 'nope' })[0] ?? '',
      /^\/template: no job named "nope"/,
    );
    assert.match(
      entryProblems(base, 'other.acme', { template: 'orchestrate', params: { project_id: 'acme' } })[0] ?? '',
      /^\/template: an instance of template "orchestrate" is named "orchestrate.<key>"/,
    );
    assert.match(
      entryProblems(base, 'orchestrate.acme', {
        template: 'orchestrate',
        params: { project_id: 'acme' },
        run: 'sh',
      })[0] ?? '',
      /^\/run: an instance runs what its template runs/,
    );
    assert.match(
      entryProblems(base, 'api-template', { template: true, schedule: '@daily', run: 'true' })[0] ?? '',
      /^\/template: templates are declared in /,
    );
  });

  it('refuses a trigger that sets a bound param of an instance', () => {
    const job = resolveJobEntry(loaded(), 'orchestrate.acme', {
      template: 'orchestrate',
      params: { project_id: 'acme' },
    });
    assert.deepEqual(checkTriggerParams(job, {}).values, {
      project_id: 'acme',
      frequency_hours: '6',
      batch_size: '10',
    });
    assert.throws(
      () => checkTriggerParams(job, { project_id: 'other' }),
      /parameter "project_id" is bound by instance "orchestrate.acme"/,
    );
  });
});
