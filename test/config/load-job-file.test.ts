import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig, Secret } from '../../src/config/index.ts';
import type { ConfigProblem } from '../../src/config/index.ts';
import type { HttpTarget } from '../../src/executors/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-config-'));
let counter = 0;

function write(text: string, name = `job-${++counter}.yaml`): string {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(text: string, env: Record<string, string> = {}, name?: string): ConfigProblem[] {
  const file = write(text, name);
  try {
    readConfig(file, { kinds: builtinKinds, env });
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
    return [...thrown.problems];
  }
  assert.fail('expected the job file to be rejected');
}

function only(problems: ConfigProblem[]): ConfigProblem {
  assert.equal(problems.length, 1, `expected one problem, got: ${JSON.stringify(problems, null, 2)}`);
  return problems[0] as ConfigProblem;
}

describe('reading a job file', () => {
  it('reads a valid file, applying defaults to every job', () => {
    const file = write(`version: 1
defaults:
  timeout: 10m
  retry: { attempts: 3, delay: 30s }
jobs:
  hello:
    schedule: "0 2 * * *"
    run: echo hello
  other:
    schedule: every 30s
    timeout: 1m
    run: [sh, -c, "exit 0"]
`);
    const config = readConfig(file, { kinds: builtinKinds, env: {} });
    const [hello, other] = config.jobs;
    assert.equal(hello?.timeoutMs, 600_000);
    assert.equal(other?.timeoutMs, 60_000);
    assert.equal(hello?.retry.attempts, 3);
    assert.equal(hello?.retry.delayMs, 30_000);
    assert.deepEqual(hello?.target, { kind: 'command', argv: ['echo', 'hello'], shell: false });
    assert.equal(hello?.concurrency, 'forbid');
    assert.equal(hello?.catchUp, 'skip');
    assert.equal(config.timezone, 'UTC');
  });

  it('reports malformed YAML with its line and column', () => {
    const problem = only(problemsOf('version: 1\njobs:\n  a: [unclosed\n'));
    assert.match(problem.message, /^YAML: /);
    assert.equal(problem.line, 4);
  });

  it('reports a duplicate key at its second appearance', () => {
    const problem = only(problemsOf('version: 1\njobs:\n  a: { run: echo }\n  a: { run: date }\n'));
    assert.equal(problem.path, 'jobs.a');
    assert.equal(problem.line, 4);
    assert.equal(problem.column, 3);
    assert.equal(problem.message, 'duplicate key "a"');
  });

  it('reports a wrong type at the value, with the field path and what was expected', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    run: echo
    retry:
      attempts: three
`),
    );
    assert.equal(problem.path, 'jobs.a.retry.attempts');
    assert.equal(problem.line, 6);
    assert.equal(problem.column, 17);
    assert.match(problem.message, /expected number, got the string "three"/);
  });

  it('reports an unknown key at the key itself', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    run: echo
    scheduel: "* * * * *"
`),
    );
    assert.equal(problem.path, 'jobs.a.scheduel');
    assert.equal(problem.line, 5);
    assert.equal(problem.column, 5);
    assert.equal(problem.message, 'unknown key "scheduel"');
  });

  it('reports a missing environment variable at the reference, and names it', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    http:
      url: https://example.com/reset
      bearer: "\${CRON_SECRET}"
`),
    );
    assert.equal(problem.line, 6);
    assert.equal(problem.column, 16);
    assert.equal(problem.path, 'jobs.a.http.bearer');
    assert.match(problem.message, /environment variable CRON_SECRET is not set and has no default/);
  });

  it('uses ${VAR:-default} when the variable is unset and the environment when it is set', () => {
    const text = `version: 1
jobs:
  a:
    run: echo \${GREETING:-hello}
`;
    assert.deepEqual(readConfig(write(text), { kinds: builtinKinds, env: {} }).jobs[0]?.target, {
      kind: 'command',
      argv: ['echo', 'hello'],
      shell: false,
    });
    assert.deepEqual(
      readConfig(write(text), { kinds: builtinKinds, env: { GREETING: 'bonjour' } }).jobs[0]?.target,
      {
        kind: 'command',
        argv: ['echo', 'bonjour'],
        shell: false,
      },
    );
  });

  it('types an unquoted ${VAR} value after substitution, and keeps a quoted one a string', () => {
    const text = `version: 1
jobs:
  a:
    run: echo
    retry:
      attempts: \${RETRIES}
    guards:
      spike:
        metric: refusal_rate
        rise_by: \${SPIKE:-0.05}
    env: { COUNT: "\${RETRIES}" }
`;
    const job = readConfig(write(text), { kinds: builtinKinds, env: { RETRIES: '4' } }).jobs[0];
    assert.equal(job?.retry.attempts, 4);
    assert.equal(job?.guards.get('spike')?.rise_by, 0.05);
    assert.equal(job?.env['COUNT'], '4');
    const problem = only(problemsOf(text, { RETRIES: 'many' }));
    assert.equal(problem.path, 'jobs.a.retry.attempts');
    assert.match(problem.message, /expected number, got the string "many"/);
  });

  it('reports every problem at once, in file order', () => {
    const problems = problemsOf(`version: 2
jobs:
  a:
    run: echo
    timeout: 600
  b:
    run: echo
    concurrency: sometimes
`);
    assert.deepEqual(
      problems.map((problem) => [problem.path, problem.line]),
      [
        ['version', 1],
        ['jobs.a.timeout', 5],
        ['jobs.b.concurrency', 8],
      ],
    );
    assert.match(problems[1]?.message ?? '', /bare number 600 \(write "600s" for seconds\)/);
    assert.match(problems[2]?.message ?? '', /expected one of "allow", "forbid", "replace", "queue"/);
  });

  it('points at the bad token inside a schedule string', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    schedule: "0 25 * * *"
    run: echo
`),
    );
    assert.equal(problem.path, 'jobs.a.schedule');
    assert.equal(problem.line, 4);
    assert.equal(problem.column, 18, 'the column of "25" inside the quoted string');
    assert.match(problem.message, /invalid schedule "0 25 \* \* \*"/);
  });

  it('rejects a notify route to a channel that does not exist', () => {
    const problem = only(
      problemsOf(`version: 1
channels:
  ops: { slack: { webhook_url: "https://hooks.example.com/x" } }
jobs:
  a:
    run: echo
    notify: { failure: [ops, pager] }
`),
    );
    assert.equal(problem.path, 'jobs.a.notify.failure[1]');
    assert.equal(problem.line, 7);
    assert.match(problem.message, /no channel named "pager" \(declared: ops\)/);
  });

  it('rejects a placeholder that no fan-out defines', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    for_each: { tenant_id: [a, b] }
    run: echo {tenant} {tenant_id}
`),
    );
    assert.equal(problem.path, 'jobs.a.run');
    assert.equal(problem.column, 15, 'the column of {tenant} in the command');
    assert.match(problem.message, /unknown placeholder \{tenant\}/);
  });

  it('refuses a placeholder where a shell could not take its value as data', () => {
    const problems = problemsOf(`version: 1
jobs:
  a:
    params: { who: w }
    shell: true
    run: "cat <<'EOF'\\n{who}\\nEOF"
  b:
    params: { n: '1' }
    run: [bash, -ec, 'echo $(( {n} + 1 ))']
  c:
    params: { who: w }
    run: [sh, -c, 'echo "$\${X:-{who}}"']
`);
    assert.deepEqual(
      problems.map((problem) => [problem.path, problem.message.slice(0, 40)]),
      [
        ['jobs.a.run', 'a placeholder in a quoted here-document '],
        ['jobs.b.run[2]', 'a placeholder inside shell arithmetic ($'],
        ['jobs.c.run[2]', 'a placeholder inside ${...} cannot be pa'],
      ],
    );
    assert.equal(problems[1]?.column, 32, 'the column of {n} in the script');
  });

  it('refuses a placeholder outside a string in a JSON body, and takes one inside', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    params: { count: '1', who: w }
    http:
      url: https://example.com/x
      body: '{"count": {count}, "who": "{who}"}'
`),
    );
    assert.equal(problem.path, 'jobs.a.http.body');
    assert.equal(problem.column, 24, 'the column of {count}');
    assert.match(problem.message, /must be inside a string/);
  });

  it('asks for shell: true when a command uses shell syntax', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    run: cd /app && python -m x >> /var/log/x.log 2>&1
`),
    );
    assert.equal(problem.path, 'jobs.a.run');
    assert.match(problem.message, /shell syntax \("&&"\); set shell: true/);
  });

  it('runs a shell line as one argument when shell is true', () => {
    const config = readConfig(
      write(`version: 1
jobs:
  a:
    shell: true
    run: cd /app && python -m x >> /var/log/x.log 2>&1
`),
      { kinds: builtinKinds, env: {} },
    );
    assert.deepEqual(config.jobs[0]?.target, {
      kind: 'command',
      argv: ['cd /app && python -m x >> /var/log/x.log 2>&1'],
      shell: true,
    });
  });

  it('needs exactly one of run, http and module', () => {
    const problem = only(
      problemsOf(`version: 1
jobs:
  a:
    schedule: "0 * * * *"
`),
    );
    assert.equal(problem.path, 'jobs.a');
    assert.match(problem.message, /exactly one of run \(a command\), http \(a request\) or module/);
  });

  it('fans out over a comma-separated environment variable', () => {
    const config = readConfig(
      write(`version: 1
jobs:
  eval:
    for_each: { tenant_id: "\${TENANTS}" }
    env: { TENANT_ID: "{tenant_id}" }
    run: python -m cron.eval_nightly
`),
      { kinds: builtinKinds, env: { TENANTS: 'tenant_a, tenant_b,,tenant_a' } },
    );
    assert.deepEqual(config.jobs[0]?.fanOut, [{ tenant_id: 'tenant_a' }, { tenant_id: 'tenant_b' }]);
  });

  it('reports an empty fan-out list', () => {
    const problem = only(
      problemsOf(
        `version: 1
jobs:
  eval:
    for_each: { tenant_id: "\${TENANTS}" }
    run: echo {tenant_id}
`,
        { TENANTS: '' },
      ),
    );
    assert.equal(problem.path, 'jobs.eval.for_each.tenant_id');
    assert.match(problem.message, /the list for \{tenant_id\} is empty/);
  });

  it('reads the top-level env file for substitution and passes its values to jobs as secrets', () => {
    writeFileSync(
      path.join(folder, 'cron.env'),
      '# comment\nexport TENANTS=tenant_a,tenant_b\nDATABASE_URL="postgresql://user:pass@localhost/db"\n',
    );
    const config = readConfig(
      write(`version: 1
env_file: ./cron.env
jobs:
  eval:
    for_each: { tenant_id: "\${TENANTS}" }
    run: echo {tenant_id}
`),
      { kinds: builtinKinds, env: {} },
    );
    const job = config.jobs[0];
    assert.equal(job?.fanOut.length, 2);
    const url = job?.env['DATABASE_URL'];
    assert.ok(url instanceof Secret);
    assert.equal(url.reveal(), 'postgresql://user:pass@localhost/db');
    assert.doesNotMatch(JSON.stringify(job), /user:pass/);
  });

  it('reports a missing env file at the env_file field, unless it is marked optional with "-"', () => {
    const problem = only(problemsOf('version: 1\nenv_file: ./nope.env\n'));
    assert.equal(problem.path, 'env_file');
    assert.equal(problem.line, 2);
    assert.match(problem.message, /env file .*nope\.env does not exist/);
    assert.equal(
      readConfig(write('version: 1\nenv_file: -./nope.env\n'), { kinds: builtinKinds, env: {} }).jobs.length,
      0,
    );
  });

  it('reports a malformed env file line with the env file line number', () => {
    writeFileSync(path.join(folder, 'broken.env'), 'GOOD=1\nthis is not an assignment\n');
    const problem = only(problemsOf('version: 1\nenv_file: ./broken.env\n'));
    assert.match(problem.message, /broken\.env:2: expected KEY=VALUE/);
  });

  it('keeps secrets out of JSON and string forms of the config', () => {
    const config = readConfig(
      write(`version: 1
channels:
  pager: { pagerduty: { routing_key: "\${PD_KEY}" } }
jobs:
  reset:
    http: { method: POST, url: "https://api.example.com/reset", bearer: "\${CRON_SECRET}" }
    notify: { critical: [pager] }
`),
      { kinds: builtinKinds, env: { PD_KEY: 'pd-routing-key-123', CRON_SECRET: 'cron-secret-456' } },
    );
    const text = JSON.stringify({ jobs: config.jobs, channels: Object.fromEntries(config.channels) });
    assert.doesNotMatch(text, /pd-routing-key-123|cron-secret-456/);
    assert.match(text, /\*\*\*/);
    const target = config.jobs[0]?.target;
    assert.equal(target?.kind, 'http');
    assert.equal((target as HttpTarget).bearer?.reveal(), 'cron-secret-456');
  });

  it('reads a JSON job file with located errors too', () => {
    const problem = only(
      problemsOf(
        '{\n  "version": 1,\n  "jobs": { "a": { "run": "echo", "timeout": "soon" } }\n}\n',
        {},
        'file.json',
      ),
    );
    assert.equal(problem.path, 'jobs.a.timeout');
    assert.equal(problem.line, 3);
    assert.equal(problem.column, 46);
  });

  it('rejects an unknown time zone', () => {
    const problem = only(problemsOf('version: 1\ntimezone: Mars/Olympus\n'));
    assert.equal(problem.path, 'timezone');
    assert.match(problem.message, /unknown time zone "Mars\/Olympus"/);
  });

  it('rejects a job that runs after a job that does not exist, and chains that loop', () => {
    const problems = problemsOf(`version: 1
jobs:
  a: { run: echo, after: [b] }
  b: { run: echo, after: [a] }
  c: { run: echo, after: [missing] }
`);
    assert.ok(problems.some((p) => p.path === 'jobs.c.after[0]' && /no job named "missing"/.test(p.message)));
    assert.ok(problems.some((p) => /in a cycle: a -> b -> a/.test(p.message)));
  });

  it('reports a missing file clearly', () => {
    assert.throws(
      () => readConfig(path.join(folder, 'absent.yaml'), { kinds: builtinKinds, env: {} }),
      (thrown: unknown) => thrown instanceof ConfigError && /no such file/.test(thrown.message),
    );
  });
});

describe('reading a job file in steps', () => {
  it('hands the file as read and validated to afterRead, then resolves it', () => {
    const file = write('version: 1\njobs:\n  a: { run: "true" }\n  b: { run: "true", after: [a] }\n');
    const seen: string[][] = [];
    const config = readConfig(
      file,
      { kinds: builtinKinds, env: {} },
      { afterRead: (loaded) => seen.push(Object.keys(loaded.jobFile.jobs ?? {})) },
    );
    assert.deepEqual(seen, [['a', 'b']]);
    assert.deepEqual(
      config.jobs.map((job) => [job.name, job.after]),
      [
        ['a', []],
        ['b', ['a']],
      ],
    );
  });

  it('does not call afterRead for a file that cannot be read', () => {
    let called = false;
    assert.throws(
      () =>
        readConfig(
          write('version: 1\njobs:\n  a: { run: 1 }\n'),
          { kinds: builtinKinds, env: {} },
          { afterRead: () => (called = true) },
        ),
      ConfigError,
    );
    assert.equal(called, false);
  });
});
