import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { ConfigProblem, ResolvedJob } from '../../src/config/index.ts';
import { createCommandExecutor, executionRequestFor } from '../../src/executors/index.ts';
import type { ExecutionResult } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { collect } from './helpers.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-pre-'));
let counter = 0;

function readJob(text: string): ResolvedJob {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, text);
  const job = readConfig(file, { kinds: builtinKinds, env: {} }).jobs[0];
  assert.ok(job !== undefined);
  return job;
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    readJob(text);
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, String(thrown));
    return [...thrown.problems];
  }
  assert.fail('expected the job file to be refused');
}

async function runOnce(
  job: ResolvedJob,
  dryRun = false,
): Promise<ExecutionResult & { out: string; system: string }> {
  const run = { id: 9, attempt: 1, params: {}, fanKey: '', scheduledAt: Date.UTC(2026, 0, 1), dryRun };
  const sink = collect();
  const result = await createCommandExecutor().execute(executionRequestFor(job, run) as never, sink);
  return { ...result, out: sink.text('stdout') + sink.text('stderr'), system: sink.text('system') };
}

describe('pre: commands (systemd ExecStartPre=)', () => {
  it('run in order before the main command, with the job env and cwd', async () => {
    const dir = mkdtempSync(path.join(folder, 'cwd-'));
    const job = readJob(`version: 1
jobs:
  review:
    cwd: ${dir}
    env: { DB: reviews.db }
    pre:
      - [sh, -c, 'echo "optimize $DB" >> steps.log']
      - { run: 'echo "second in $(basename "$PWD")" >> steps.log', shell: true }
    run: [sh, -c, 'echo main >> steps.log; cat steps.log']
`);
    assert.equal(job.pre.length, 2);
    const result = await runOnce(job);
    assert.equal(result.outcome, 'success', result.error);
    assert.equal(
      readFileSync(path.join(dir, 'steps.log'), 'utf8'),
      `optimize reviews.db\nsecond in ${path.basename(dir)}\nmain\n`,
    );
    assert.match(result.system, /pre step 1: sh -c/);
    assert.match(result.system, /pre step 2: /);
  });

  it('a failing pre-step fails the run with its output, and the main command does not run', async () => {
    const dir = mkdtempSync(path.join(folder, 'cwd-'));
    const job = readJob(`version: 1
jobs:
  review:
    cwd: ${dir}
    pre:
      - "echo first"
      - [sh, -c, 'echo "database is locked" >&2; exit 5']
      - [sh, -c, 'touch third-ran']
    run: [sh, -c, 'touch main-ran']
`);
    const result = await runOnce(job);
    assert.equal(result.outcome, 'failure');
    assert.equal(result.error, 'pre step 2 exited 5: database is locked');
    assert.equal(result.exitCode, undefined, "the main command's exit code is not claimed");
    assert.match(result.out, /first\n/);
    assert.match(result.out, /database is locked/);
    assert.match(result.system, /pre step 2 exited 5: the command does not run/);
    assert.throws(() => readFileSync(path.join(dir, 'main-ran')), /ENOENT/);
    assert.throws(() => readFileSync(path.join(dir, 'third-ran')), /ENOENT/);
  });

  it('runs after a passing skip condition and not at all when it skips', async () => {
    const skipped = await runOnce(
      readJob(`version: 1
jobs:
  review:
    condition: { run: 'echo nothing new; exit 1', shell: true }
    pre: [[sh, -c, 'echo pre ran']]
    run: echo main
`),
    );
    assert.equal(skipped.outcome, 'skip');
    assert.doesNotMatch(skipped.out, /pre ran/);
  });

  it('share the job timeout: a hanging pre-step ends the run timed_out', async () => {
    const result = await runOnce(
      readJob(`version: 1
jobs:
  review:
    timeout: 300ms
    pre: [[sleep, '5']]
    run: echo main
`),
    );
    assert.equal(result.outcome, 'timed_out');
    assert.match(result.error ?? '', /in pre step 1/);
    assert.doesNotMatch(result.out, /main/);
  });

  it('are refused with a located error for an unknown placeholder or an empty list', () => {
    const unknown = problemsOf(`version: 1
jobs:
  review:
    pre: ["echo {tenant}"]
    run: echo main
`);
    assert.equal(unknown.length, 1, JSON.stringify(unknown));
    assert.equal(unknown[0]?.path, 'jobs.review.pre[0]');
    assert.match(unknown[0]?.message ?? '', /unknown placeholder \{tenant\}/);
    assert.equal(unknown[0]?.line, 4);
    const empty = problemsOf(`version: 1
jobs:
  review:
    pre: []
    run: echo main
`);
    assert.equal(empty[0]?.path, 'jobs.review.pre');
  });
});

describe('condition: and pre: on every job kind', () => {
  it('are honoured on a command job', async () => {
    const job = readJob(`version: 1
jobs:
  review:
    condition: "test -e /nonexistent-cronplane-path"
    pre: ["true"]
    run: echo main
`);
    assert.deepEqual(job.condition?.argv, ['test', '-e', '/nonexistent-cronplane-path']);
    const result = await runOnce(job);
    assert.equal(result.outcome, 'skip');
  });

  for (const [kind, entry, noun] of [
    ['http', 'http: { url: "http://127.0.0.1:9/health" }', 'http (a request)'],
    ['module', 'module: { path: ./job.ts }', 'module (a function)'],
  ] as const) {
    it(`are refused on the ${kind} kind, each at its own line`, () => {
      const problems = problemsOf(`version: 1
jobs:
  check:
    ${entry}
    condition: "test -s /var/spool/todo"
    pre: ["true"]
`);
      assert.deepEqual(
        problems.map((problem) => [problem.path, problem.line]),
        [
          ['jobs.check.condition', 5],
          ['jobs.check.pre', 6],
        ],
      );
      for (const problem of problems) {
        assert.match(
          problem.message,
          new RegExp(
            `applies only to a job that runs a command \\(run:\\); a job with ${noun.replace(/[()]/g, '\\$&')} never starts it`,
          ),
        );
      }
    });
  }
});
