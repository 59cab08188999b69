/**
 * Issue 15: every `cronplane` command the docs write is run by the real program (main(argv, io),
 * what bin/cronplane.js calls), on loopback: the README's and the examples' commands from a copy
 * of the repository root (`npm start` is the daemon its package.json script starts, and the
 * commands after it share its store); docs/*.md's in a folder with a job file that has what those
 * pages name (job `hello`, channel `ops`, monitors `nightly-backup` and `queue-sweeper`), once
 * with a daemon on SQLite and once on PostgreSQL; `curl` to 127.0.0.1:7070 goes to that daemon.
 * A command exits 0 (a curl gets 2xx) unless `expectedExit` or `expectedStatus` says otherwise
 * and why. The commands the allow-list names and the blocks another test runs are parsed
 * (doc-commands.test.ts) but not run here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import type { CliResult, DaemonProcess } from '../support/run-cronplane.ts';
import { repositoryRoot, startDaemonProcess } from '../support/run-cronplane.ts';
import { main } from '../../src/cli/main.ts';
import { notRunHere, runElsewhere } from './doc-commands-allowed.ts';
import type { DocCommand } from './doc-commands.ts';
import { cronplaneArgs, defaultAddress, docCommands, isLocalCurl, npmScript } from './doc-commands.ts';

/** Commands that are right to exit other than 0 here, and why. */
const expectedExit: Readonly<
  Record<string, { readonly code: number; readonly says: RegExp; readonly because: string }>
> = {
  'docs/events.md cronplane events resolve 12': {
    code: 2,
    says: /no event with id 12/,
    because: 'the page resolves its event 12, which the fresh store here does not hold',
  },
};

/** The HTTP status a `curl` of the docs gets when it is not 2xx, and why. */
const expectedStatus: Readonly<Record<string, { readonly status: number; readonly because: string }>> = {
  'docs/events.md /api/events/17': {
    status: 404,
    because: 'the page reads its event 17, which the fresh store here does not hold',
  },
  'docs/events.md /api/events/17/resolve': { status: 404, because: 'the same event 17' },
};

const commands = docCommands(repositoryRoot);
const elsewhere = new Set(runElsewhere.map((entry) => entry.marker));
const runnable = commands.filter(
  (command) =>
    (cronplaneArgs(command) !== undefined || npmScript(command) === 'start' || isLocalCurl(command)) &&
    !(command.marker !== undefined && elsewhere.has(command.marker)) &&
    !command.synopsis &&
    !notRunHere.some((entry) => entry.file === command.file && entry.command === command.text),
);

/** Where a page's commands run: a folder, the variables they see, and a daemon once one is started. */
interface Place {
  readonly cwd: string;
  readonly env: Record<string, string>;
  daemon: DaemonProcess | undefined;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'cronplane-doc-commands-'));
const hook = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200).end('ok'));
});
const daemons: DaemonProcess[] = [];
let repository: Place;
/** docs/*.md's commands run on each store: `sqlite`, `postgres`. */
const docsPlaces = new Map<string, Place>();
let postgres: StoreHarness | undefined;

/** A daemon that `after` stops, given time to start on a busy machine. */
async function startDaemon(args: readonly string[], cwd: string): Promise<DaemonProcess> {
  const daemon = await startDaemonProcess(args, { cwd, readyWithinMs: 60_000 });
  daemons.push(daemon);
  return daemon;
}

/**
 * The command line run by the real program in this process (what bin/cronplane.js calls once it
 * has checked the Node version): a child process per command would take seconds each.
 */
async function cronplane(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  // Some commands read the job file they found relative to the process's directory rather than
  // io.cwd (the same one when run from bin/cronplane.js), so the process moves there meanwhile.
  const home = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
      cwd,
      isTty: false,
    });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.chdir(home);
  }
}

/** `npm start`, as package.json says: `node bin/cronplane.js start ARGS...`. */
function startScriptArgs(): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const words = (scripts['start'] ?? '').split(/\s+/);
  assert.deepEqual(words.slice(0, 3), ['node', 'bin/cronplane.js', 'start'], 'the start script');
  return words.slice(3);
}

function curl(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('curl', args, { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

before(async () => {
  // The repository root as the examples' READMEs use it: examples/ in it, ./data/ its own.
  const root = path.join(scratch, 'repository');
  mkdirSync(root);
  symlinkSync(path.join(repositoryRoot, 'examples'), path.join(root, 'examples'));
  repository = { cwd: root, env: {}, daemon: undefined };
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  postgres = await createPostgresHarness();
  // In-process commands move the process's directory: one at a time, before the daemons start.
  const sqlite = await prepareDocsPlace('sqlite', 'sqlite:./data/cronplane.db');
  const onPostgres = await prepareDocsPlace('postgres', postgres.url);
  // Every start settles before a refusal is thrown, so that `after` stops whichever did start.
  // `npm start` (README.md, examples/quickstart/README.md) is the first daemon; the commands after
  // it in the same folder read its store.
  const started = await Promise.allSettled([
    startDaemon(startScriptArgs(), root).then((daemon) => (repository.daemon = daemon)),
    startDaemon([], sqlite.cwd).then((daemon) => docsPlaces.set('sqlite', { ...sqlite, daemon })),
    startDaemon([], onPostgres.cwd).then((daemon) => docsPlaces.set('postgres', { ...onPostgres, daemon })),
  ]);
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  for (const place of docsPlaces.values()) place.env['CRONPLANE_SERVER'] = place.daemon?.server ?? '';
});

/** A folder with the docs' job file on `store` and an admin token in it, its daemon not started yet. */
async function prepareDocsPlace(name: string, store: string): Promise<Place> {
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const cwd = path.join(scratch, `docs-${name}`);
  mkdirSync(cwd);
  writeFileSync(
    path.join(cwd, 'cronplane.yaml'),
    [
      'version: 1',
      `store: ${store}`,
      'channels:',
      `  ops: { webhook: { url: "${hookUrl}" } }`,
      'jobs:',
      '  hello:',
      '    run: echo hello {who}',
      '    params: { who: { default: world } }',
      'monitors:',
      "  nightly-backup: { schedule: '0 3 * * *', grace: 1h, notify: { down: [ops], up: [ops] } }",
      '  queue-sweeper: { period: 10m, grace: 2m }',
      '',
    ].join('\n'),
  );
  const token = await cronplane(['token', 'create', 'doc-commands', '--scope', 'admin'], cwd, {});
  assert.equal(token.code, 0, token.stderr);
  return { cwd, env: { CRONPLANE_TOKEN: token.stdout.trim() }, daemon: undefined };
}

after(async () => {
  await Promise.all(daemons.map((daemon) => daemon.stop()));
  // The receiver first, its kept-alive connections with it: the PostgreSQL harness's close checks
  // that no socket of this file is left open.
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
  await postgres?.close();
  rmSync(scratch, { recursive: true, force: true });
});

it('finds commands to run in the pages', () => {
  assert.ok(runnable.length >= 10, `${runnable.length} commands`);
});

describe('the commands of the README and the examples, from the repository root', () => {
  for (const command of runnable.filter((candidate) => !candidate.file.startsWith('docs/')))
    it(`${command.where}: ${command.text}`, () => runDocCommand(command, repository));
});

for (const store of ['sqlite', 'postgres']) {
  describe(`the commands of docs/*.md, on ${store}`, () => {
    for (const command of runnable.filter((candidate) => candidate.file.startsWith('docs/')))
      it(`${command.where}: ${command.text}`, async () => {
        const place = docsPlaces.get(store);
        assert.ok(place !== undefined, `the ${store} place`);
        await runDocCommand(command, place);
      });
  });
}

/** Runs one doc command in its place and checks its exit code (or a curl's HTTP status). */
async function runDocCommand(command: DocCommand, place: Place): Promise<void> {
  if (npmScript(command) === 'start') {
    assert.ok(place.daemon !== undefined, 'npm start runs in the repository root');
    assert.match(place.daemon.output(), /API on http:\/\/127\.0\.0\.1:\d+/);
    return;
  }
  if (isLocalCurl(command)) {
    const daemon = place.daemon;
    assert.ok(daemon !== undefined, 'a daemon for the page');
    const args = command.argv
      .slice(1)
      .map((word) =>
        word
          .replace(defaultAddress, daemon.server)
          .replace('$CRONPLANE_TOKEN', place.env['CRONPLANE_TOKEN'] ?? ''),
      );
    const result = await curl([...args, '-o', '/dev/null', '-w', '%{http_code}']);
    const url = command.argv.find((word) => word.startsWith(defaultAddress)) ?? '';
    const pathname = new URL(url).pathname;
    const expected = expectedStatus[`${command.file} ${pathname}`];
    const status = Number(result.stdout.trim().slice(-3));
    assert.ok(
      expected === undefined ? status >= 200 && status < 300 : status === expected.status,
      `${command.where}: curl ${args.join(' ')}\nstatus ${status}, exit ${result.code}\n${result.stderr}`,
    );
    return;
  }
  const args = cronplaneArgs(command) ?? [];
  const result = await cronplane(args, place.cwd, { ...place.env, ...command.env });
  const expected = expectedExit[`${command.file} ${command.text}`];
  const shown = `${command.where}: cronplane ${args.join(' ')}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  assert.equal(result.code, expected?.code ?? 0, shown);
  if (expected !== undefined) assert.match(result.stderr, expected.says, shown);
}
