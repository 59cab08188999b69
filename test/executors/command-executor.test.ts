import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Secret } from '../../src/config/index.ts';
import { createCommandExecutor } from '../../src/executors/index.ts';
import { collect, commandSpec, request } from './helpers.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-exec-'));
const daemonEnv = { PATH: process.env['PATH'], LANG: 'C.UTF-8', DAEMON_SECRET: 'do-not-leak', HOME: '/root' };
const executor = createCommandExecutor({ daemonEnv });

describe('the command executor', () => {
  it('passes arguments literally without a shell ($HOME, ; and quotes stay as written)', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(commandSpec({ argv: ['printf', '%s|', '$HOME', 'a;b', '"q"', '{tenant}'] }), {
        params: { tenant: 'acme corp' },
      }),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.equal(result.exitCode, 0);
    assert.equal(sink.text('stdout'), '$HOME|a;b|"q"|acme corp|');
  });

  it('runs a line through /bin/sh -c in shell mode, quoting substituted values', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(
        commandSpec({ argv: ['echo one && echo {tenant} | tr a-z A-Z; echo $((2 + 3))'], shell: true }),
        {
          params: { tenant: 'x; echo injected' },
        },
      ),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.equal(sink.text('stdout'), 'one\nX; ECHO INJECTED\n5\n');
  });

  it('runs in the working directory', async () => {
    const sink = collect();
    await executor.execute(request(commandSpec({ argv: ['pwd'], cwd: folder })), sink);
    assert.equal(sink.text('stdout').trim(), folder);
  });

  it('fails clearly when the working directory does not exist', async () => {
    const result = await executor.execute(
      request(commandSpec({ argv: ['pwd'], cwd: '/no/such/dir' })),
      collect(),
    );
    assert.equal(result.outcome, 'failure');
    assert.match(result.error ?? '', /working directory \/no\/such\/dir does not exist/);
  });

  it('fails clearly when the command does not exist', async () => {
    const result = await executor.execute(request(commandSpec({ argv: ['/no/such/command'] })), collect());
    assert.equal(result.outcome, 'failure');
    assert.match(result.error ?? '', /cannot start \/no\/such\/command: .*ENOENT/);
  });

  it('gives a minimal environment: the job env, env files and CRONPLANE_ variables, not the daemon environment', async () => {
    const envFile = path.join(folder, 'job.env');
    writeFileSync(envFile, '# tenant settings\nFROM_FILE=file-{tenant}\nOVERRIDDEN=by-file\n');
    const sink = collect();
    const result = await executor.execute(
      request(
        commandSpec({
          argv: ['sh', '-c', 'env; [ "$TOKEN" = "Bearer acme" ] && echo TOKEN_MATCHES=yes'],
          env: { TENANT_ID: '{tenant}', TOKEN: new Secret('Bearer {tenant}'), OVERRIDDEN: 'by-env' },
          envFiles: [
            { path: envFile, optional: false },
            { path: path.join(folder, 'missing.env'), optional: true },
          ],
        }),
        {
          params: { tenant: 'acme', scheduled_at: '2025-01-02T02:00:00.000Z', fan_key: 'acme' },
          runId: '7',
          attempt: 2,
        },
      ),
      sink,
    );
    assert.equal(result.outcome, 'success');
    const env = Object.fromEntries(
      sink
        .text('stdout')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    assert.equal(env['TENANT_ID'], 'acme');
    assert.equal(env['TOKEN'], '***', 'a secret value is masked in the output');
    assert.equal(
      env['TOKEN_MATCHES'],
      'yes',
      'the command sees the revealed secret, placeholders substituted',
    );
    assert.equal(env['FROM_FILE'], 'file-acme');
    assert.equal(env['OVERRIDDEN'], 'by-file');
    assert.equal(env['CRONPLANE_RUN_ID'], '7');
    assert.equal(env['CRONPLANE_JOB'], 'nightly');
    assert.equal(env['CRONPLANE_ATTEMPT'], '2');
    assert.equal(env['CRONPLANE_SCHEDULED_AT'], '2025-01-02T02:00:00.000Z');
    assert.equal(env['CRONPLANE_FAN_KEY'], 'acme');
    assert.equal(env['CRONPLANE_DRY_RUN'], undefined);
    assert.equal(env['PATH'], daemonEnv.PATH);
    assert.equal(env['LANG'], 'C.UTF-8');
    assert.ok(env['HOME'] !== undefined && env['USER'] !== undefined && env['LOGNAME'] !== undefined);
    assert.equal(env['DAEMON_SECRET'], undefined);
  });

  it('passes the whole daemon environment when told to inherit it', async () => {
    const inheriting = createCommandExecutor({ daemonEnv, baseEnvironment: 'inherit' });
    const sink = collect();
    await inheriting.execute(request(commandSpec({ argv: ['sh', '-c', 'echo $DAEMON_SECRET'] })), sink);
    assert.equal(sink.text('stdout'), 'do-not-leak\n');
  });

  it('fails before starting when a required env file is missing', async () => {
    const result = await executor.execute(
      request(commandSpec({ envFiles: [{ path: path.join(folder, 'absent.env'), optional: false }] })),
      collect(),
    );
    assert.equal(result.outcome, 'failure');
    assert.match(result.error ?? '', /cannot read env file .*absent\.env/);
  });

  it('sets CRONPLANE_DRY_RUN=1 for a dry run', async () => {
    const sink = collect();
    await executor.execute(
      request(commandSpec({ argv: ['sh', '-c', 'echo "dry=$CRONPLANE_DRY_RUN"'] }), { dryRun: true }),
      sink,
    );
    assert.equal(sink.text('stdout'), 'dry=1\n');
  });

  it('gives a queued payload as JSON on stdin', async () => {
    const sink = collect();
    await executor.execute(
      request(commandSpec({ argv: ['cat'] }), { payload: { organization_id: 9 } }),
      sink,
    );
    assert.equal(sink.text('stdout'), '{"organization_id":9}');
  });

  it('reads exit codes through the exit-code map: 0 success, listed codes, others failure', async () => {
    const exitCodes = new Map([
      [1, 'critical' as const],
      [3, 'warning' as const],
      [4, 'skip' as const],
    ]);
    const outcomeOf = async (code: number) =>
      executor.execute(request(commandSpec({ argv: ['sh', '-c', `exit ${code}`], exitCodes })), collect());
    assert.equal((await outcomeOf(0)).outcome, 'success');
    const critical = await outcomeOf(1);
    assert.equal(critical.outcome, 'critical');
    assert.equal(critical.exitCode, 1);
    assert.equal(critical.error, 'exit code 1');
    assert.equal((await outcomeOf(3)).outcome, 'warning');
    assert.equal((await outcomeOf(4)).outcome, 'skip');
    assert.equal((await outcomeOf(2)).outcome, 'failure');
  });

  it('reads metrics from the last JSON-object line of stdout, nested or not', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(
        commandSpec({
          argv: [
            'sh',
            '-c',
            `echo '{"rows": 1}'; echo '{"metrics": {"refusal_rate": 0.02, "label": "x"}}'; echo done`,
          ],
          metricsFromStdout: true,
        }),
      ),
      sink,
    );
    assert.deepEqual(result.metrics, { refusal_rate: 0.02 });
  });

  it('reports no metrics when the job does not ask for them', async () => {
    const result = await executor.execute(request(commandSpec({ argv: ['echo', '{"rows": 1}'] })), collect());
    assert.equal(result.metrics, undefined);
  });

  it('masks secret environment values the command prints', async () => {
    const sink = collect();
    await executor.execute(
      request(
        commandSpec({
          argv: ['sh', '-c', 'echo "token is $API_TOKEN"'],
          env: { API_TOKEN: new Secret('tok-123456789') },
        }),
      ),
      sink,
    );
    assert.equal(sink.text('stdout'), 'token is ***\n');
  });

  it('runs as another user when the daemon is root', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('the test process is not root, so it cannot switch users');
      return;
    }
    const sink = collect();
    const result = await executor.execute(
      request(commandSpec({ argv: ['sh', '-c', 'id -un; echo "$HOME $USER"'], user: 'nobody' })),
      sink,
    );
    assert.equal(result.outcome, 'success');
    const [name, env] = sink.text('stdout').trim().split('\n');
    assert.equal(name, 'nobody');
    assert.match(env ?? '', / nobody$/);
  });

  it('fails clearly when the user does not exist', async () => {
    const result = await executor.execute(request(commandSpec({ user: 'no-such-user-xyz' })), collect());
    assert.equal(result.outcome, 'failure');
    assert.match(result.error ?? '', /user "no-such-user-xyz" does not exist on this machine/);
  });
});
