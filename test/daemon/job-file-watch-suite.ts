import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { Daemon } from '../../src/daemon/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import { LogCapture } from '../api/api-harness.ts';
import { waitFor } from '../support/engine-harness.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');

/** A job file with one on-demand job per name. */
function jobsFile(...names: string[]): string {
  return `version: 1\njobs:\n${names.map((name) => `  ${name}: { run: "true" }\n`).join('')}`;
}

/** `--watch` on a real folder with a real daemon: what editors, `mv` and `rm` do to the job file. */
export function defineJobFileWatchSuite(storeName: string, makeStoreUrl: () => Promise<string>): void {
  describe(`--watch follows the job file on ${storeName}`, () => {
    const folders: string[] = [];
    const daemons: Daemon[] = [];

    // Each test's daemon stops before the next test resets the store: a store emptied under a
    // daemon that still writes (its heartbeat, its lease) can deadlock with the TRUNCATE.
    afterEach(async () => {
      for (const daemon of daemons.splice(0)) await daemon.stop(0);
    });
    after(() => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });

    async function start(yaml: string) {
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-watch-'));
      folders.push(folder);
      const file = path.join(folder, 'cronplane.yaml');
      writeFileSync(file, yaml);
      const logs = new LogCapture('debug');
      const daemon = await Daemon.start({
        configFile: file,
        env: {},
        storeUrl: await makeStoreUrl(),
        logger: logs.logger,
        clock: manualClock(T0),
        node: 'watch-node',
        listen: 'off',
        watch: true,
      });
      daemons.push(daemon);
      const jobs = () => daemon.engine.jobs.map((job) => job.name).join(',');
      const waitForJobs = (expected: string) =>
        waitFor(`the jobs to be ${expected} (they are ${jobs()})`, () => jobs() === expected, 10_000);
      const logged = (message: string) => logs.lines.filter((line) => line.includes(`"msg":"${message}`));
      /** What `mv`, vim and most editors do: write a file beside it, rename it over the job file. */
      const replace = (text: string) => {
        const temporary = path.join(folder, '.cronplane.yaml.swp');
        writeFileSync(temporary, text);
        renameSync(temporary, file);
      };
      return { folder, file, daemon, logs, jobs, waitForJobs, logged, replace };
    }

    it('applies an edit written in place', async () => {
      const { file, waitForJobs } = await start(jobsFile('one'));
      writeFileSync(file, jobsFile('one', 'two'));
      await waitForJobs('one,two');
    });

    it('keeps following after atomic replaces, twice in a row, then an edit in place', async () => {
      const { file, waitForJobs, replace } = await start(jobsFile('one'));
      replace(jobsFile('two'));
      await waitForJobs('two');
      replace(jobsFile('three'));
      await waitForJobs('three');
      writeFileSync(file, jobsFile('four'));
      await waitForJobs('four');
    });

    it('says a deleted file is gone and keeps its jobs, then reloads the file re-created', async () => {
      const { file, jobs, waitForJobs, logged } = await start(jobsFile('one'));
      unlinkSync(file);
      const [gone] = await waitFor('the file said gone', () => {
        const lines = logged('the job file is gone');
        return lines.length > 0 ? lines : undefined;
      });
      assert.match(gone ?? '', /"config":"[^"]*cronplane\.yaml"/);
      assert.equal(jobs(), 'one', 'the jobs of the last file keep running');
      writeFileSync(file, jobsFile('two'));
      await waitForJobs('two');
      assert.equal(logged('the job file is back').length, 1);
      assert.equal(logged('the job file is gone').length, 1, 'one line for the deletion');
    });

    it('refuses an invalid edit with its located reason, keeps the jobs, and applies the next good one', async () => {
      const { file, jobs, waitForJobs, logged, replace } = await start(jobsFile('one'));
      replace('version: 1\njobs:\n  one: { schedule: "61 * * * *", run: "true" }\n');
      const [refused] = await waitFor('the refusal logged', () => {
        const lines = logged('job file not reloaded; the previous one stays in force');
        return lines.length > 0 ? lines : undefined;
      });
      assert.match(refused ?? '', /cronplane\.yaml:3:21: jobs\.one\.schedule: invalid schedule/);
      assert.equal(jobs(), 'one');
      writeFileSync(file, jobsFile('one', 'two'));
      await waitForJobs('one,two');
    });

    it('applies a burst of writes once, when it settles, and ignores a save that changed nothing', async () => {
      const { file, jobs, logged } = await start(jobsFile('one'));
      for (let index = 0; index < 5; index++) writeFileSync(file, jobsFile('one', `burst${index}`));
      await waitFor('the reload logged', () => logged('job file reloaded').length > 0);
      assert.equal(jobs(), 'one,burst4');
      assert.equal(logged('job file reloaded').length, 1);
      writeFileSync(file, jobsFile('one', 'burst4'));
      await waitFor(
        'the unchanged save noticed',
        () => logged('the job file was saved unchanged').length > 0,
      );
      assert.equal(logged('job file reloaded').length, 1, 'the same bytes are not reloaded');
    });

    it('reloads on SIGHUP (reload) after a replace, and still follows the file afterwards', async () => {
      const { file, daemon, waitForJobs, replace } = await start(jobsFile('one'));
      replace(jobsFile('two'));
      await waitForJobs('two');
      assert.equal(await daemon.reload(), true);
      writeFileSync(file, jobsFile('three'));
      await waitForJobs('three');
    });

    it('watches a folder removed and made again once SIGHUP (reload) says so', async () => {
      const { folder, file, daemon, waitForJobs, logged } = await start(jobsFile('one'));
      rmSync(folder, { recursive: true });
      mkdirSync(folder);
      await waitFor('the file said gone', () => logged('the job file is gone').length > 0);
      await waitFor('the folder said gone', () => logged("the job file's folder is gone").length > 0);
      writeFileSync(file, jobsFile('two'));
      assert.equal(await daemon.reload(), true);
      assert.equal(daemon.engine.jobs.map((job) => job.name).join(','), 'two');
      writeFileSync(file, jobsFile('three'));
      await waitForJobs('three');
    });
  });
}
