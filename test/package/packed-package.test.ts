/**
 * The package as a user gets it: packed by `npm pack` (which builds `dist/`), installed into a
 * new project, imported by name. Checks what the installed package does (a schedule's next
 * fires, a job file read and refused), its declarations (`tsc` on a program using it), its
 * `cronplane` command, and the ways Node 22 differs from 24 (no type stripping; `require`).
 * docs/library.md's example is run here, against the installed package.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import { installPackedPackage, repositoryRoot } from '../support/install-packed-package.ts';
import type { InstalledPackage } from '../support/install-packed-package.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const run = promisify(execFile);

const page = markedBlocks(readFileSync(path.join(repositoryRoot, 'docs/library.md'), 'utf8'));

function sample(name: string): string {
  const block = page.find((candidate) => candidate.marker === `sample: ${name}`);
  assert.ok(block, `docs/library.md has no <!-- sample: ${name} --> block`);
  return block.text;
}

let installed: InstalledPackage;

/** Runs a file of the project on this test's Node (24), with extra Node flags first. */
async function node(file: string, flags: readonly string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [...flags, file], { cwd: installed.project });
  return stdout;
}

function write(file: string, text: string): string {
  writeFileSync(path.join(installed.project, file), text);
  return file;
}

describe('the packed package, installed into a new project', { timeout: 240_000 }, () => {
  before(async () => {
    installed = await installPackedPackage();
  });
  after(() => {
    if (installed !== undefined) rmSync(installed.folder, { recursive: true, force: true });
  });

  it('holds the built JavaScript, its declarations and the migrations, no sources or tests, and leaves no dist/ behind', () => {
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/client.js',
      'dist/cli/main.js',
      'dist/store/sqlite/migrations',
      'dist/store/postgres/migrations',
      'bin/cronplane.js',
      'web/dist/index.html',
    ]) {
      assert.ok(
        statSync(path.join(installed.installed, file), { throwIfNoEntry: false }),
        `${file} is installed`,
      );
    }
    for (const file of ['src', 'test', 'bench', 'docs']) {
      assert.equal(
        statSync(path.join(installed.installed, file), { throwIfNoEntry: false }),
        undefined,
        `${file} is not`,
      );
    }
    assert.equal(
      statSync(path.join(installed.folder, 'package', 'dist'), { throwIfNoEntry: false }),
      undefined,
      'packing leaves no dist/ in the checkout it packed (bin/cronplane.js would prefer it to the sources)',
    );
  });

  it("runs docs/library.md's example by the package's name, and prints what the page says", async () => {
    write('cronplane.yaml', sample('library-job-file'));
    write('broken.yaml', sample('library-broken-job-file'));
    write('example.ts', sample('library-example'));
    assert.equal(await node('example.ts'), sample('library-output'));
  });

  it("type-checks a program against the installed declarations (tsc, strict, the declarations' own types checked)", async () => {
    write('example.ts', sample('library-example'));
    write(
      'types.ts',
      [
        "import { compileSchedule, parseSchedule, RunStatus, isTerminalRunStatus, ConfigError, CronplaneError } from 'cronplane';",
        "import type { JobFile, ResolvedConfig, RunRecord, Schedule } from 'cronplane';",
        '',
        "export const next: number | null = compileSchedule(parseSchedule('@daily')).next(0);",
        'export const done: boolean = isTerminalRunStatus(RunStatus.succeeded);',
        "export const status: RunRecord['status'] = 'lost';",
        "export const version: JobFile['version'] = 1;",
        'export const jobs = (config: ResolvedConfig): readonly string[] => config.jobs.map((job) => job.name);',
        'export const problems = (error: unknown): number => (error instanceof ConfigError ? error.problems.length : 0);',
        'export const code = (error: CronplaneError): string => error.code;',
        "import { CronplaneClient, ControlError as ClientError } from 'cronplane/client';",
        "import type { LogChunkView, RunView } from 'cronplane/client';",
        "const client = new CronplaneClient({ server: 'http://127.0.0.1:7070', token: 't' });",
        'export const names = async (): Promise<string[]> => (await client.listJobs()).jobs.map((job) => job.name);',
        "export const runStatus = async (id: number): Promise<RunView['status']> => (await client.getRun(id)).run.status;",
        'export const texts = async (id: number): Promise<string[]> => {',
        '  const seen: string[] = [];',
        '  for await (const chunk of client.logs(id, { follow: true })) seen.push((chunk satisfies LogChunkView).text);',
        '  return seen;',
        '};',
        'export const refusal = (error: unknown): number | undefined => (error instanceof ClientError ? error.status : undefined);',
        '// @ts-expect-error a run id is a number',
        "export const wrongId = client.getRun('1');",
        '// @ts-expect-error a schedule is compiled from a parsed spec, not from its text',
        "export const wrong: Schedule = compileSchedule('@daily');",
        '// @ts-expect-error no such status',
        "export const unknown: RunRecord['status'] = 'exploded';",
        '',
      ].join('\n'),
    );
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          lib: ['es2023'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          types: ['node'],
          typeRoots: [path.join(repositoryRoot, 'node_modules/@types')],
        },
        files: ['example.ts', 'types.ts'],
      }),
    );
    const tsc = path.join(repositoryRoot, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: installed.project }).catch(
      (failed: { stdout: string; message: string }) =>
        assert.fail(`tsc refused the program:\n${failed.stdout}`),
    );
  });

  it('needs no type stripping (as on Node 22 before 22.18): the installed package is JavaScript', async () => {
    const file = write(
      'next-fire.mjs',
      [
        "import { compileSchedule, parseSchedule } from 'cronplane';",
        "const schedule = compileSchedule(parseSchedule('every 15m'));",
        "console.log(new Date(schedule.next(Date.parse('2026-01-01T00:07:00Z'))).toISOString());",
        '',
      ].join('\n'),
    );
    assert.equal(await node(file, ['--no-experimental-strip-types']), '2026-01-01T00:15:00.000Z\n');
  });

  it('can be required from CommonJS (require of an ES module: Node 22.12 and later, and 24)', async () => {
    const file = write(
      'next-fire.cjs',
      [
        "const { compileSchedule, parseSchedule, RunStatus } = require('cronplane');",
        "const next = compileSchedule(parseSchedule('0 0 1 1 *')).next(Date.parse('2026-06-01T00:00:00Z'));",
        'console.log(new Date(next).toISOString(), RunStatus.pending);',
        '',
      ].join('\n'),
    );
    assert.equal(await node(file), '2027-01-01T00:00:00.000Z pending\n');
  });

  it('offers its entries only: `cronplane/client` is part of the main entry, and deep imports are refused', async () => {
    const file = write(
      'entries.mjs',
      [
        "const main = await import('cronplane');",
        "const client = await import('cronplane/client');",
        'const missing = Object.keys(client).filter((name) => !(name in main));',
        "let deep = 'allowed';",
        "try { await import('cronplane/dist/config/index.js'); } catch (error) { deep = error.code; }",
        'console.log(JSON.stringify({ missing, deep }));',
        '',
      ].join('\n'),
    );
    assert.deepEqual(JSON.parse(await node(file)), { missing: [], deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('talks to a daemon through `cronplane/client` without type stripping: its jobs listed, a refusal typed', async () => {
    const harness = await createSqliteHarness();
    await harness.reset();
    const api = await startApiDaemon({
      storeUrl: harness.url,
      yaml: 'version: 1\njobs:\n  hello:\n    run: echo hello\n',
    });
    try {
      const file = write(
        'client.mjs',
        [
          "import { CronplaneClient, ControlError } from 'cronplane/client';",
          'const client = new CronplaneClient({ server: process.env.CRONPLANE_SERVER, token: process.env.CRONPLANE_TOKEN });',
          'const { jobs } = await client.listJobs();',
          'const refusal = await client.getRun(999).catch((error) => error instanceof ControlError && `${error.status} ${error.code}`);',
          'console.log(JSON.stringify({ jobs: jobs.map((job) => job.name), refusal }));',
          '',
        ].join('\n'),
      );
      const { stdout } = await run(process.execPath, ['--no-experimental-strip-types', file], {
        cwd: installed.project,
        env: { ...process.env, CRONPLANE_SERVER: api.url, CRONPLANE_TOKEN: bootstrapToken },
      });
      assert.deepEqual(JSON.parse(stdout), { jobs: ['hello'], refusal: '404 api.unknown-run' });
    } finally {
      await api.stop();
      await harness.close();
    }
  });

  it('runs its `cronplane` command from the built files: validate, a run on the SQLite store (its migrations), runs', async () => {
    const bin = path.join(installed.project, 'node_modules/.bin/cronplane');
    /** The command on this test's Node without type stripping: only JavaScript may run. */
    const cronplane = async (...args: string[]) =>
      (
        await run(process.execPath, ['--no-experimental-strip-types', bin, ...args], {
          cwd: installed.project,
        })
      ).stdout;
    const { version } = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal((await cronplane('--version')).trim(), version);
    write(
      'hello.yaml',
      'version: 1\njobs:\n  hello:\n    schedule: "@daily"\n    run: echo hello from the package\n',
    );
    assert.match(
      await cronplane('validate', 'hello.yaml'),
      /^hello\.yaml: ok, 1 job, 0 monitors, 0 channels\n {2}hello /,
    );
    assert.equal(await cronplane('run', 'hello', '--config', 'hello.yaml'), 'hello from the package\n');
    assert.match(await cronplane('runs', '--config', 'hello.yaml'), /\n1\thello\t-\tmanual\t1\tsucceeded\t/);
  });

  it("starts SQLite's checkpoint thread from the built files (a Worker's file is not rewritten by the build)", async () => {
    const checkpointer = path.join(installed.installed, 'dist/store/sqlite/wal-checkpointer.js');
    const file = write(
      'checkpoint.mjs',
      [
        "import { statSync } from 'node:fs';",
        "import { DatabaseSync } from 'node:sqlite';",
        "import { setTimeout as sleep } from 'node:timers/promises';",
        `const { WalCheckpointer } = await import(${JSON.stringify(checkpointer)});`,
        "const database = new DatabaseSync('wal.db');",
        "database.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x TEXT)');",
        "const insert = database.prepare('INSERT INTO t (x) VALUES (?)');",
        "database.exec('BEGIN');",
        "for (let i = 0; i < 1024; i++) insert.run('x'.repeat(1000));",
        "database.exec('COMMIT');",
        "const before = statSync('wal.db').size;",
        "const thread = new WalCheckpointer('wal.db', { intervalMs: 10 });",
        'thread.start();',
        "for (let waited = 0; statSync('wal.db').size <= before + 1024 * 1024 && waited < 5000; waited += 10) await sleep(10);",
        "console.log(statSync('wal.db').size > before + 1024 * 1024 ? 'checkpointed' : 'not checkpointed');",
        'await thread.stop();',
        'database.close();',
        '',
      ].join('\n'),
    );
    assert.equal(await node(file), 'checkpointed\n');
  });
});
