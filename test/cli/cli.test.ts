import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repositoryRoot, runCronplane } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

const root = repositoryRoot;
/** Runs the real `cronplane` command in a child process, from the repository by default. */
function cronplane(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return runCronplane(args, {
    cwd: options.cwd ?? root,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}

/**
 * The same program in the test's process, for a job file named by its full path: what it reads and
 * prints, without a Node start (help, version and the working folder's file stay processes).
 */
function inProcess(args: string[], options: { env?: Record<string, string> } = {}) {
  return runCronplaneInProcess(args, {
    cwd: root,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}

describe('the cronplane command', () => {
  it('prints help naming every command', async () => {
    const result = await cronplane(['--help']);
    assert.equal(result.code, 0);
    for (const name of [
      'init',
      'validate',
      'calendar',
      'next',
      'start',
      'run',
      'trigger',
      'runs',
      'logs',
      'pause',
      'resume',
      'exec',
      'dashboard',
      'import',
      'export',
    ]) {
      assert.match(result.stdout, new RegExp(`^\\s+${name}\\b`, 'm'), `help lists ${name}`);
    }
  });

  it('prints the package version', async () => {
    const result = await cronplane(['--version']);
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  });

  it('answers an unknown command with exit code 2', async () => {
    const result = await cronplane(['frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
  });

  it('writes a starter file with init that validates, and will not overwrite it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-init-'));
    const first = await cronplane(['init'], { cwd: folder });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(path.join(folder, 'cronplane.yaml')));
    const validate = await cronplane(['validate'], { cwd: folder });
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /cronplane\.yaml: ok, 2 jobs/);
    assert.match(validate.stdout, /^ {2}hello {2}"\* \* \* \* \*" \(cron\) {2}next \d{4}-/m);
    const again = await cronplane(['init'], { cwd: folder });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists; use --force/);
  });

  it('finds the job file through --config, then CRONPLANE_CONFIG, then ./cronplane.yaml', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-find-'));
    writeFileSync(path.join(folder, 'a.yaml'), 'version: 1\njobs:\n  from-flag: { run: echo }\n');
    writeFileSync(path.join(folder, 'b.yaml'), 'version: 1\njobs:\n  from-env: { run: echo }\n');
    writeFileSync(path.join(folder, 'cronplane.yaml'), 'version: 1\njobs:\n  from-cwd: { run: echo }\n');
    const env = { CRONPLANE_CONFIG: 'b.yaml' };
    assert.match(
      (await cronplane(['validate', '--config', 'a.yaml'], { cwd: folder, env })).stdout,
      /from-flag/,
    );
    assert.match((await cronplane(['validate'], { cwd: folder, env })).stdout, /from-env/);
    assert.match((await cronplane(['validate'], { cwd: folder })).stdout, /from-cwd/);
  });

  it('says where to put a job file when there is none', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-none-'));
    const result = await cronplane(['validate'], { cwd: folder });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no job file: give one with --config FILE or CRONPLANE_CONFIG/);
  });

  it('rejects a broken job file with located errors, exit code 2, and starts nothing', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-broken-'));
    const file = path.join(folder, 'cronplane.yaml');
    writeFileSync(
      file,
      `version: 1
jobs:
  reset:
    schedule: "0 0 * * *"
    http: { url: "\${API_URL}/reset", bearer: "\${CRON_SECRET}" }
    retry: { attempts: 0 }
    colour: blue
`,
    );
    const result = await inProcess(['validate', file], { env: { API_URL: 'http://127.0.0.1:1' } });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const lines = result.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      `error: ${file}:5:47: jobs.reset.http.bearer: environment variable CRON_SECRET is not set and has no default (write \${CRON_SECRET:-default} to give one)`,
      `error: ${file}:6:24: jobs.reset.retry.attempts: expected at least 1 attempt (1 means no retry), got number 0`,
      `error: ${file}:7:5: jobs.reset.colour: unknown key "colour"`,
      '3 problems; nothing was started.',
    ]);
  });

  it('refuses a YAML alias bomb, and an alias without its anchor, with exit code 2 at the alias', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-aliases-'));
    // "Billion laughs": nine levels of ten aliases each expand to 10^9 strings.
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [index, name] of [...'bcdefghi'].entries()) {
      const previous = 'abcdefghi'[index] ?? 'a';
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
    }
    const bomb = path.join(folder, 'bomb.yaml');
    writeFileSync(bomb, `version: 1\nx-laughs:\n${levels.map((line) => `  ${line}\n`).join('')}jobs: {}\n`);
    const refused = await inProcess(['validate', bomb]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.deepEqual(refused.stderr.trim().split('\n'), [
      `error: ${bomb}:8:38: YAML: aliases expand to more than 1,000,000 nodes (at *e); a file of nested aliases ("billion laughs") is refused`,
      '1 problem; nothing was started.',
    ]);

    const dangling = path.join(folder, 'dangling.yaml');
    writeFileSync(dangling, 'version: 1\njobs:\n  a: { run: *command }\n');
    const unresolved = await inProcess(['validate', dangling]);
    assert.equal(unresolved.code, 2, unresolved.stderr);
    assert.match(
      unresolved.stderr,
      /dangling\.yaml:3:13: YAML: alias \*command has no anchor &command before it/,
    );

    // One anchor used by 150 jobs is no bomb (the parser's own count stops at 100 uses).
    const shared = path.join(folder, 'shared.yaml');
    const jobs = Array.from({ length: 150 }, (_, index) => `  j${index}: { run: *command }\n`).join('');
    writeFileSync(shared, `version: 1\njobs:\n  first: { run: &command "true" }\n${jobs}`);
    const accepted = await inProcess(['validate', shared]);
    assert.equal(accepted.code, 0, accepted.stderr);
  });

  it("prints a job's next fire times with next", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-next-'));
    writeFileSync(
      path.join(folder, 'cronplane.yaml'),
      'version: 1\njobs:\n  nightly: { schedule: "0 2 * * *", timezone: Europe/Berlin, run: echo }\n',
    );
    const result = await cronplane(
      ['next', 'nightly', '-n', '2', '--after', '2026-03-28T12:00:00Z', '--json'],
      {
        cwd: folder,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      job: 'nightly',
      timezone: 'Europe/Berlin',
      next: ['2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z'],
    });
    const garbage = await cronplane(['next', 'nightly', '--after', 'banana 12'], { cwd: folder });
    assert.equal(garbage.code, 2);
    assert.match(garbage.stderr, /--after "banana 12" is not an instant; expected an ISO 8601 date-time/);
    const unknown = await cronplane(['next', 'daily'], { cwd: folder });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no job named "daily"; the job file has: nightly/);
  });

  it('sends a test notification to a channel with notify test', async () => {
    const received: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-notify-'));
      writeFileSync(
        path.join(folder, 'cronplane.yaml'),
        `version: 1\nchannels:\n  hook: { webhook: { url: "http://127.0.0.1:${port}/hook", secret: s3cr3t-value } }\n`,
      );
      const sent = await cronplane(['notify', 'test', 'hook'], { cwd: folder });
      assert.equal(sent.code, 0, sent.stderr);
      assert.equal(received.length, 1);
      assert.equal((JSON.parse(received[0] ?? '{}') as { kind?: string }).kind, 'test');
      assert.doesNotMatch(sent.stdout + sent.stderr, /s3cr3t-value/);
      const unknown = await cronplane(['notify', 'test', 'pager'], { cwd: folder });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /hook/);
    } finally {
      server.close();
    }
  });

  it('refuses an export format it does not know, naming the option and the formats it has', async () => {
    const result = await inProcess(['export', '--to', 'launchd']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /--to <format>.*launchd.*crontab, systemd, k8s, compose, eventbridge, schtasks/,
    );
  });
});
