import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openStore } from '../../src/store/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { waitFor } from '../support/engine-harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'bin/cronplane.js');
const execFileAsync = promisify(execFile);

/** A real `cronplane start` in a child process. */
class DaemonProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], cwd: string) {
    this.child = spawn(process.execPath, [cli, 'start', ...args], {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        CRONPLANE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** What `cronplane start`, `run`, `runs` and `logs` do with real processes, on one store. */
export function defineDaemonSuite(storeName: string, makeStoreUrl: () => Promise<string>): void {
  describe(`cronplane as a daemon on ${storeName}`, () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-daemon-'));
    const daemons: DaemonProcess[] = [];
    const stores: Store[] = [];

    after(async () => {
      for (const daemon of daemons) if (daemon.child.exitCode === null) daemon.kill('SIGKILL');
      for (const store of stores) await store.release();
    });

    async function setup(name: string, yaml: string) {
      const file = path.join(folder, `${name}.yaml`);
      writeFileSync(file, yaml);
      const storeUrl = await makeStoreUrl();
      const store = await openStore(storeUrl);
      stores.push(store);
      const start = (node: string, extra: string[] = []) => {
        const daemon = new DaemonProcess(
          ['--config', file, '--store', storeUrl, '--node', node, '--listen', 'off', ...extra],
          folder,
        );
        daemons.push(daemon);
        return daemon;
      };
      const runs = async (job?: string): Promise<RunRecord[]> =>
        [...(await store.listRuns({ ...(job === undefined ? {} : { job }), limit: 1000 })).runs].reverse();
      return { file, storeUrl, store, start, runs };
    }

    it('fires a per-second job every second and records each run with its output', async () => {
      const { start, runs, store } = await setup(
        'tick',
        'version: 1\njobs:\n  tick: { schedule: every 1s, run: [sh, -c, "echo tick {scheduled_at}"], log: { file: "logs/{job}.log" } }\n',
      );
      const daemon = start('tick-node');
      await waitFor(
        'three runs succeeded',
        async () => (await runs('tick')).filter((r) => r.status === 'succeeded').length >= 3,
        15_000,
      );
      daemon.kill('SIGTERM');
      assert.equal((await daemon.exited).code, 0, daemon.output);
      const done = (await runs('tick')).filter((run) => run.status === 'succeeded');
      for (const run of done) {
        assert.equal(run.scheduledAt % 1000, 0, 'fires fall on whole seconds');
        assert.equal(run.node, 'tick-node');
        const logs = await store.readLogs(run.id);
        assert.equal(
          logs.map((chunk) => chunk.chunk).join(''),
          `tick ${new Date(run.scheduledAt).toISOString()}\n`,
        );
      }
      const seconds = done.map((run) => run.scheduledAt);
      assert.equal(new Set(seconds).size, seconds.length, 'no fire twice');
      // log.file: the same output appended to a file beside the job file, one line per run.
      const logged = readFileSync(path.join(folder, 'logs', 'tick.log'), 'utf8').split('\n');
      for (const run of done) assert.ok(logged.includes(`tick ${new Date(run.scheduledAt).toISOString()}`));
    });

    it('after kill -9 mid-run, a restarted daemon marks the run lost and retries it, firing nothing twice', async () => {
      const { start, runs } = await setup(
        'crash',
        `version: 1
jobs:
  long:
    schedule: every 3s
    concurrency: forbid
    retry: { attempts: 2, delay: 1s, jitter: 0 }
    run: [sh, -c, "sleep 1.5; echo done"]
`,
      );
      const first = start('node-1', ['--lease', '1500']);
      const running = await waitFor(
        'a run in progress',
        async () => (await runs('long')).find((run) => run.status === 'running'),
        15_000,
      );
      first.kill('SIGKILL');
      await first.exited;
      const second = start('node-2', ['--lease', '1500']);
      const lost = await waitFor(
        'the run marked lost',
        async () => (await runs('long')).find((run) => run.id === running.id && run.status === 'lost'),
        15_000,
      );
      assert.equal(lost.node, 'node-1');
      const retry = await waitFor(
        'its retry succeeded',
        async () =>
          (await runs('long')).find((run) => run.firstRunId === running.id && run.status === 'succeeded'),
        15_000,
      );
      assert.equal(retry.trigger, 'retry');
      assert.equal(retry.attempt, 2);
      assert.equal(retry.scheduledAt, running.scheduledAt);
      assert.equal(retry.node, 'node-2');
      second.kill('SIGTERM');
      assert.equal((await second.exited).code, 0, second.output);
      const firsts = (await runs('long')).filter((run) => run.attempt === 1).map((run) => run.scheduledAt);
      assert.equal(new Set(firsts).size, firsts.length, 'every fire recorded once');
    });

    it('on SIGTERM lets running work end until the deadline, then stops it and records why', async () => {
      const { start, runs } = await setup(
        'drain',
        'version: 1\njobs:\n  forever: { schedule: every 1s, concurrency: forbid, run: [sleep, "60"] }\n',
      );
      const daemon = start('drain-node', ['--shutdown-timeout', '300']);
      await waitFor(
        'running',
        async () => (await runs('forever')).some((run) => run.status === 'running'),
        15_000,
      );
      daemon.kill('SIGTERM');
      assert.equal((await daemon.exited).code, 0, daemon.output);
      const stopped = (await runs('forever')).find((run) => run.startedAt !== null);
      assert.equal(stopped?.status, 'cancelled');
      assert.match(stopped?.statusReason ?? '', /shutdown/);
    });

    it('runs a job in the foreground with run: its output, its exit code, a record, and dry-run', async () => {
      const { file, storeUrl, runs } = await setup(
        'foreground',
        `version: 1
jobs:
  report:
    run: [sh, -c, 'echo "dry=$\${CRONPLANE_DRY_RUN:-0} who={who}"; exit 3']
    params: { who: nobody }
    log: { file: report.jsonl, format: json }
`,
      );
      const result = await execFileAsync(
        process.execPath,
        [cli, 'run', 'report', '--config', file, '--store', storeUrl, '--dry-run', '--param', 'who=alice'],
        { cwd: folder },
      ).then(
        () => assert.fail('expected exit code 3'),
        (failure: { code: number; stdout: string; stderr: string }) => failure,
      );
      assert.equal(result.code, 3);
      assert.equal(result.stdout, 'dry=1 who=alice\n');
      assert.match(result.stderr, /run \d+ of report: failed, exit code 3/);
      const [run] = await runs('report');
      assert.equal(run?.status, 'failed');
      assert.equal(run?.exitCode, 3);
      assert.equal(run?.dryRun, true);
      assert.equal(run?.trigger, 'manual');
      const [record] = readFileSync(path.join(folder, 'report.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        { run: record?.['run'], job: record?.['job'], stream: record?.['stream'], line: record?.['line'] },
        { run: run?.id, job: 'report', stream: 'stdout', line: 'dry=1 who=alice' },
      );

      const listed = await execFileAsync(
        process.execPath,
        [cli, 'runs', 'report', '--store', storeUrl, '--json'],
        {
          cwd: folder,
        },
      );
      assert.equal((JSON.parse(listed.stdout.trim()) as RunRecord).id, run?.id);
      const logs = await execFileAsync(
        process.execPath,
        [cli, 'logs', String(run?.id), '--store', storeUrl],
        {
          cwd: folder,
        },
      );
      assert.equal(logs.stdout, 'dry=1 who=alice\n');
    });

    it('re-reads the job file on SIGHUP, and keeps the running one when the new one is broken', async () => {
      const { file, start, runs } = await setup(
        'reload',
        'version: 1\njobs:\n  first: { schedule: every 1s, run: "true" }\n',
      );
      const daemon = start('reload-node');
      await waitFor(
        'first ran',
        async () => (await runs('first')).some((r) => r.status === 'succeeded'),
        15_000,
      );
      writeFileSync(
        file,
        'version: 1\njobs:\n  first: { schedule: every 1s, run: "true" }\n  second: { schedule: every 1s, run: "true" }\n',
      );
      daemon.kill('SIGHUP');
      await waitFor(
        'second ran',
        async () => (await runs('second')).some((r) => r.status === 'succeeded'),
        15_000,
      );
      writeFileSync(file, 'version: 1\njobs:\n  first: { schedule: "61 * * * *", run: "true" }\n');
      daemon.kill('SIGHUP');
      await waitFor(
        'the refusal logged',
        () => /job file not reloaded; the previous one stays in force/.test(daemon.output),
        15_000,
      );
      const before = (await runs('second')).length;
      await waitFor('second still fires', async () => (await runs('second')).length > before, 15_000);
      daemon.kill('SIGTERM');
      assert.equal((await daemon.exited).code, 0, daemon.output);
    });

    it('follows the job file with --watch through an edit, a replace and a SIGHUP', async () => {
      const { file, start, runs } = await setup('watch', 'version: 1\njobs:\n  one: { run: "true" }\n');
      const daemon = start('watch-node', ['--watch']);
      await waitFor('started', () => /cronplane started/.test(daemon.output), 15_000);
      writeFileSync(file, 'version: 1\njobs:\n  two: { schedule: every 1s, run: "true" }\n');
      await waitFor('two ran', async () => (await runs('two')).some((r) => r.status === 'succeeded'), 15_000);
      // An editor's save (a new file renamed over the old one), then SIGHUP: both taken, and the
      // watch still follows the file afterwards.
      const replace = (yaml: string) => {
        writeFileSync(`${file}.tmp`, yaml);
        renameSync(`${file}.tmp`, file);
      };
      replace('version: 1\njobs:\n  three: { schedule: every 1s, run: "true" }\n');
      await waitFor(
        'three ran',
        async () => (await runs('three')).some((r) => r.status === 'succeeded'),
        15_000,
      );
      daemon.kill('SIGHUP');
      await waitFor(
        'the SIGHUP reload',
        () => daemon.output.match(/job file reloaded/g)?.length === 3,
        15_000,
      );
      replace('version: 1\njobs:\n  four: { schedule: every 1s, run: "true" }\n');
      await waitFor(
        'four ran',
        async () => (await runs('four')).some((r) => r.status === 'succeeded'),
        15_000,
      );
      daemon.kill('SIGTERM');
      assert.equal((await daemon.exited).code, 0, daemon.output);
    });

    it('refuses to start on a broken job file: exit 2, located errors, nothing opened', async () => {
      const { start, runs } = await setup(
        'broken',
        'version: 1\njobs:\n  x: { schedule: "61 * * * *", run: "true" }\n',
      );
      const daemon = start('broken-node');
      const exit = await daemon.exited;
      assert.equal(exit.code, 2);
      assert.match(daemon.output, /broken\.yaml:3:19: jobs\.x\.schedule: invalid schedule "61 \* \* \* \*"/);
      assert.equal((await runs()).length, 0);
    });
  });
}
