/** `alert:` of a job (what its failure alert carries) and `alerts:` of the file (the group window), each checked. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, parseAlertTemplate, readConfig, renderAlertTemplate } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-alert-settings-'));
let counter = 0;

function configOf(text: string): ResolvedConfig {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, `version: 1\n${text}`);
  return readConfig(file, { kinds: builtinKinds, env: {} });
}

function problemsOf(text: string): string[] {
  try {
    configOf(text);
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return thrown.problems.map((problem) => `${problem.line} ${problem.path}: ${problem.message}`);
  }
  assert.fail('expected the job file to be refused');
}

describe('alert settings', () => {
  it('gives every job 20 lines and 2 KiB of output and a 30 s group window unless the file says otherwise', () => {
    const config = configOf('jobs:\n  bare:\n    run: echo hi\n');
    assert.deepEqual(config.jobs[0]?.alert, {
      include: [],
      message: undefined,
      outputLines: 20,
      outputBytes: 2048,
    });
    assert.equal(config.alerts.groupWindowMs, 30_000);
  });

  it('takes alert: from defaults: and the job over it, and alerts.group_window', () => {
    const config = configOf(
      'alerts: { group_window: 2m, group_wait: 10s }\n' +
        'defaults:\n  alert: { output_lines: 5, output_bytes: 1K }\n' +
        'jobs:\n  drift:\n    run: echo hi\n' +
        '    alert: { include: [total_reviewed, payload.batch], message: "{disagreements} of {total_reviewed}" }\n',
    );
    const alert = config.jobs[0]?.alert;
    assert.deepEqual(alert?.include, ['total_reviewed', 'payload.batch']);
    assert.equal(alert?.outputLines, 5);
    assert.equal(alert?.outputBytes, 1024);
    assert.equal(
      renderAlertTemplate(alert?.message ?? [], { disagreements: 15, total_reviewed: 50 }),
      '15 of 50',
    );
    assert.equal(config.alerts.groupWindowMs, 120_000);
    assert.equal(config.alerts.groupWaitMs, 10_000);
    assert.equal(configOf('jobs:\n  a: { run: echo hi }\n').alerts.groupWaitMs, 0, 'no wait by default');
  });

  it('refuses a message template that is not one, naming the line and the key, and a bad field name', () => {
    const problems = problemsOf(
      'jobs:\n  drift:\n    run: echo hi\n    alert:\n      message: "agreement {agreement rate} low"\n' +
        '      include: ["total reviewed"]\n      output_lines: -1\n',
    );
    assert.deepEqual(problems, [
      '6 jobs.drift.alert.message: {agreement rate} is not a field name: expected a metric or fact name (letters, digits, _) or payload.FIELD, got the string "agreement {agreement rate} low"',
      '7 jobs.drift.alert.include[0]: expected a metric or fact name, or payload.FIELD, got the string "total reviewed"',
      '8 jobs.drift.alert.output_lines: Too small: expected number to be >=0, got number -1',
    ]);
    assert.match(
      problemsOf('alerts: { group_window: soon }\n')[0] ?? '',
      /^2 alerts\.group_window: duration: "soon" is not a number/,
    );
    assert.match(problemsOf('alerts: { group_wait: -1s }\n')[0] ?? '', /^2 alerts\.group_wait: /);
    assert.match(problemsOf('alerts: { group: 30s }\n')[0] ?? '', /^2 alerts\.group: unknown key "group"/);
  });

  it('reads a template as data: slots are names looked up, never code', () => {
    assert.equal(parseAlertTemplate('a { b'), 'a "{" without its "}" at character 3');
    assert.equal(
      parseAlertTemplate('a } b'),
      'a "}" without its "{" at character 3; braces only go around a field name',
    );
    assert.equal(typeof parseAlertTemplate('{process.exit(1)}'), 'string');
    const parts = parseAlertTemplate('rate {agreement_rate}, org {payload.org}, {missing}');
    assert.ok(Array.isArray(parts));
    assert.equal(
      renderAlertTemplate(parts, { agreement_rate: 0.71, 'payload.org': 'acme', constructor: 'x' }),
      'rate 0.71, org acme, (none)',
    );
  });
});
