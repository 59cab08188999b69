import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import type { JobFileKinds, JobTarget, ResolvedConfig } from '../../src/config/index.ts';
import {
  ConfigError,
  Secret,
  collectSecrets,
  configMask,
  loadJobFileText,
  resolveConfig,
  secretSchema,
} from '../../src/config/index.ts';
import { describeJob } from '../../src/cli/describe-job.ts';
import { systemClock } from '../../src/clock/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { createExecuteRun } from '../../src/engine/execute-run.ts';
import type { ExecutorKindDefinition } from '../../src/executors/index.ts';
import { executorKinds, substitutePlaceholders } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { silentLogger, waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

/** A kind cronplane does not have: a job that writes a line of text, and a token it was given. */
const echoFields = z.strictObject({
  echo: z.strictObject({ text: z.string().min(1), token: secretSchema.optional() }),
});

interface EchoTarget extends JobTarget {
  readonly kind: 'echo';
  readonly text: string;
  readonly token: Secret | undefined;
}

const echoKind: ExecutorKindDefinition<z.output<typeof echoFields>, EchoTarget, EchoTarget> = {
  key: 'echo',
  noun: 'a line of text',
  kind: 'echo',
  fields: echoFields,
  resolve: ({ echo }, { at, checkPlaceholders }) => {
    checkPlaceholders(echo.text, at('echo', 'text'));
    return { kind: 'echo', text: echo.text, token: echo.token };
  },
  secrets: (target) => collectSecrets(target),
  headers: () => [],
  specFor: (target) => target,
  createExecutor: () => ({
    execute: async (request, sink) => {
      const started = Date.now();
      // A careless kind: it prints its token, which the run's output must not keep.
      const token = request.target.token === undefined ? '' : ` (token ${request.target.token.reveal()})`;
      const line = `${substitutePlaceholders(request.target.text, request.params)}${token}\n`;
      sink.onOutput('stdout', line);
      return {
        outcome: 'success',
        durationMs: Date.now() - started,
        outputBytes: Buffer.byteLength(line),
        truncated: false,
      };
    },
  }),
  describe: (target) => `echo ${JSON.stringify(target.text)}`,
  view: (target) => ({ kind: 'echo', text: target.text, token: target.token === undefined ? null : '***' }),
};

/** The built-in kinds and the test's own: the one line a new kind adds to the registry. */
const executorKindsWithEcho = [...executorKinds, echoKind];
const kinds: JobFileKinds = { ...builtinKinds, executors: executorKindsWithEcho };
const token = 'echo-token-5d2e91';
const env = { ECHO_TOKEN: token };
const jobFile = [
  'version: 1',
  'jobs:',
  '  greet:',
  '    echo:',
  '      text: "hello from {job}, run {run_id}"',
  '      token: ${ECHO_TOKEN}',
  '',
].join('\n');

function read(text: string, known: JobFileKinds): ResolvedConfig {
  return resolveConfig(loadJobFileText(text, 'cronplane.yaml', { env, kinds: known }));
}

function problemsOf(text: string, known: JobFileKinds): string[] {
  try {
    read(text, known);
  } catch (thrown) {
    if (thrown instanceof ConfigError)
      return thrown.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw thrown;
  }
  assert.fail('the job file was accepted');
}

describe('an executor kind added in one file and one line of the registry', () => {
  it('is refused by the built-in kinds, which name every kind they know', () => {
    assert.deepEqual(problemsOf(jobFile, builtinKinds), [
      'jobs.greet.echo: unknown key "echo"',
      'jobs.greet: a job needs exactly one of run (a command), http (a request) or module (a function); found none, got a mapping',
    ]);
  });

  it('validates a job file whose job names it, its token taken as a Secret', () => {
    const config = read(jobFile, kinds);
    const target = config.jobs[0]?.target as EchoTarget;
    assert.equal(target.kind, 'echo');
    assert.equal(target.text, 'hello from {job}, run {run_id}');
    assert.ok(target.token instanceof Secret);
    assert.doesNotMatch(JSON.stringify(config.jobs), new RegExp(token));
  });

  it('names it in the rule that a job runs exactly one thing, and checks its placeholders', () => {
    assert.deepEqual(problemsOf('version: 1\njobs:\n  idle: { description: nothing }\n', kinds), [
      'jobs.idle: a job needs exactly one of run (a command), http (a request), module (a function) or echo (a line of text); found none, got a mapping',
    ]);
    assert.deepEqual(problemsOf('version: 1\njobs:\n  both: { run: "true", echo: { text: hi } }\n', kinds), [
      'jobs.both: a job needs exactly one of run, http, module or echo; found run and echo, got a mapping',
    ]);
    assert.deepEqual(problemsOf('version: 1\njobs:\n  loud: { echo: { text: hi }, shell: true }\n', kinds), [
      'jobs.loud.shell: shell applies only to a job with run, got boolean true',
    ]);
    assert.deepEqual(problemsOf('version: 1\njobs:\n  typo: { echo: { text: "{tenant}" } }\n', kinds), [
      'jobs.typo.echo.text: unknown placeholder {tenant}: known here are {job}, {run_id}, {attempt}, {scheduled_at}, {fan_key}',
    ]);
  });

  it('masks its secret wherever the daemon masks', () => {
    const mask = configMask(read(jobFile, kinds), env);
    assert.equal(mask.redact(`token=${token}`), 'token=***');
  });

  it('is described by validate through its own rule, without the secret', () => {
    const job = read(jobFile, kinds).jobs[0];
    assert.ok(job !== undefined);
    const line = describeJob(job, Date.parse('2026-01-01T00:00:00Z'), executorKindsWithEcho);
    assert.equal(line, 'greet  on demand  echo "hello from {job}, run {run_id}"  forbid');
  });
});

for (const [name, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`a job of an executor kind added in the test, run by the engine on ${name}`, () => {
    const harness = createHarness();
    after(async () => (await harness).close());

    it('ends in a recorded succeeded run whose output is the line, its token masked', async () => {
      const store = await (await harness).open();
      const config = read(jobFile, kinds);
      const engine = new Engine({
        store,
        clock: systemClock(),
        node: 'node-echo',
        logger: silentLogger,
        execute: createExecuteRun({ kinds: executorKindsWithEcho, mask: () => configMask(config, env) }),
        pollMs: 100,
        schedule: false,
      });
      try {
        await engine.start(config);
        const [run] = await engine.trigger({ job: 'greet' });
        assert.ok(run !== undefined);
        const ended = await waitFor('the run ends', async () => {
          const record = await store.getRunOrThrow(run.id);
          return record.status === 'pending' || record.status === 'running' ? undefined : record;
        });
        assert.equal(ended.status, 'succeeded');
        const output = (await store.readLogs(run.id)).map((chunk) => `${chunk.stream}: ${chunk.chunk}`);
        assert.deepEqual(output, [`stdout: hello from greet, run ${run.id} (token ***)\n`]);
      } finally {
        await engine.drain(0);
        await store.release();
      }
    });
  });
}
