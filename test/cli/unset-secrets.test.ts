import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { HttpTarget } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { openStore } from '../../src/store/index.ts';
import { runCronplane } from '../support/run-cronplane.ts';

/** A job file whose secrets come from variables the tests never set. */
const jobFile = `version: 1
store: sqlite:./data/own.db
channels:
  ops: { slack: { webhook_url: "\${SLACK_WEBHOOK_URL}" } }
jobs:
  reset:
    schedule: "0 3 * * *"
    http: { method: POST, url: "\${API_URL}/reset", bearer: "\${CRON_SECRET}" }
    notify: { failure: [ops] }
`;

function folderWithJobFile(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-unset-'));
  writeFileSync(path.join(folder, 'cronplane.yaml'), jobFile);
  return folder;
}

describe('commands that do not need the job file’s secrets', () => {
  it('token create and list work on the job file’s store while its ${VAR}s are unset', async () => {
    const folder = folderWithJobFile();
    const created = await runCronplane(['token', 'create', 'ci', '--scope', 'read'], { cwd: folder });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /\S{20,}/);
    // The file's own store, not the default one: the file was read although its secrets are unset.
    assert.ok(existsSync(path.join(folder, 'data/own.db')));
    assert.ok(!existsSync(path.join(folder, 'data/cronplane.db')));
    const listed = await runCronplane(['token', 'list', '--config', 'cronplane.yaml'], { cwd: folder });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /\bci\b/);
  });

  it('next reads the schedules without the secrets', async () => {
    const folder = folderWithJobFile();
    const next = await runCronplane(['next', 'reset', '-n', '2', '--after', '2026-01-01T00:00:00Z'], {
      cwd: folder,
    });
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stdout, /2026-01-01T03:00:00/);
  });

  it('events resolve closes the event and says a channel whose secret is unset cannot be told', async () => {
    const folder = folderWithJobFile();
    mkdirSync(path.join(folder, 'data'));
    const store = await openStore(`sqlite:${path.join(folder, 'data/own.db')}`);
    let id: number;
    try {
      const recorded = await store.recordEvent({
        kind: 'run:failed',
        severity: 'failure',
        job: 'reset',
        dedupKey: 'run:failure:reset',
        at: Date.now(),
      });
      assert.ok(await store.markEventNotified(recorded.id, Date.now()));
      id = recorded.id;
    } finally {
      await store.release();
    }
    const resolved = await runCronplane(['events', 'resolve', String(id)], { cwd: folder });
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.match(resolved.stdout, new RegExp(`^resolved event ${id} `, 'm'));
    assert.match(
      resolved.stderr,
      /^warning: "ops" cannot be told: environment variable SLACK_WEBHOOK_URL is not set/m,
    );
    assert.doesNotMatch(resolved.stderr, /could not tell "ops"|no job file was found/);
  });

  it('run and validate still refuse until the secrets are set, naming the variable', async () => {
    const folder = folderWithJobFile();
    const run = await runCronplane(['run', 'reset'], { cwd: folder });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /cronplane\.yaml:8:\d+: jobs\.reset\.http\.url: environment variable API_URL is not set/,
    );
    const validate = await runCronplane(['validate'], { cwd: folder });
    assert.equal(validate.code, 2);
    assert.match(validate.stderr, /environment variable CRON_SECRET is not set/);
    assert.match(validate.stderr, /environment variable SLACK_WEBHOOK_URL is not set/);
  });

  it('leaves an unset ${VAR} as written and lists it, when read to leave it', () => {
    const file = path.join(folderWithJobFile(), 'cronplane.yaml');
    const config = readConfig(file, { kinds: builtinKinds, env: {}, unsetVariables: 'leave' });
    assert.deepEqual(
      config.unresolved?.map((problem) => [problem.path, problem.line]),
      [
        ['channels.ops.slack.webhook_url', 4],
        ['jobs.reset.http.url', 8],
        ['jobs.reset.http.bearer', 8],
      ],
    );
    const target = config.jobs[0]?.target;
    assert.equal((target as HttpTarget | undefined)?.url, '${API_URL}/reset');
    assert.throws(
      () => readConfig(file, { kinds: builtinKinds, env: {} }),
      (thrown) => thrown instanceof ConfigError && thrown.problems.length === 3,
    );
  });

  it('still refuses a value the schema cannot take because its variable is unset, naming the variable', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-unset-'));
    const file = path.join(folder, 'cronplane.yaml');
    writeFileSync(
      file,
      'version: 1\njobs:\n  a:\n    schedule: every 1m\n    run: echo a\n    retry:\n      attempts: ${RETRIES}\n',
    );
    assert.throws(
      () => readConfig(file, { kinds: builtinKinds, env: {}, unsetVariables: 'leave' }),
      (thrown) =>
        thrown instanceof ConfigError &&
        thrown.problems.length === 1 &&
        thrown.problems[0]?.path === 'jobs.a.retry.attempts' &&
        /environment variable RETRIES is not set/.test(thrown.problems[0].message),
    );
  });
});
