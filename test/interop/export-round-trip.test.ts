/**
 * Round trips: jobs exported to crontab and to CronJobs, read back by the importers of the same
 * build (crontab, k8s) and loaded by the job file's loader, give back what the platform carries
 * (schedule, zone, command, plain env, concurrency, retries, timeout), and each exported schedule
 * fires at the same 100 instants as the job's own, both computed by the calendar engine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as shellWords } from 'shell-quote';
import { compileSchedule } from '../../src/calendar/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { Secret } from '../../src/config/index.ts';
import { createCrontabImporter, crontabExporter, k8sExporter, k8sImporter } from '../../src/interop/index.ts';
import { loadImportedWith, loadJobs } from './export-fixtures.ts';

/** One schedule per job, so each exported line or CronJob is one imported job, in order. */
const fixture = `
  weekday-report:
    schedule: "*/5 9-17 * * 1-5"
    timezone: America/New_York
    run: ["report", "--since", "1 hour ago"]
    env: { PGHOST: db.local, TOKEN: { secret: "s3cr3t-value" } }
  nightly:
    schedule: "Mon..Fri *-*-* 02:30:00"
    timezone: Europe/Berlin
    run: backup.sh --full
    concurrency: allow
  monthly:
    schedule: "cron(0 4 1 * ? *)"
    run: ["rotate", "100%"]
    retry: { attempts: 3 }
    timeout: 15m
    concurrency: replace
  quarter-hour:
    schedule: every 15m
    run: ping-upstream
    concurrency: forbid
  four-hourly:
    schedule: every 4h
    shell: true
    run: "cd /srv && ./sync | logger"
`;

const start = Date.UTC(2026, 2, 20); // across the March changes to summer time in the US and the EU

function firesOf(job: ResolvedJob): number[] {
  const schedule = job.schedules[0];
  assert.ok(schedule !== undefined);
  return compileSchedule(schedule.spec, { timezone: job.timezone }).upcoming(start, 100);
}

/** What a job runs: its argv, or its shell line; a plain line the importer kept as a shell line is read back into words. */
function commandOf(job: ResolvedJob): { argv: readonly string[]; shell: boolean } {
  const target = job.target as unknown as { argv: readonly string[]; shell: boolean };
  const line = target.argv[0] ?? '';
  if (target.shell && shellWords(line).every((word) => typeof word === 'string'))
    return { argv: shellWords(line).map(String), shell: false };
  return { argv: target.argv, shell: target.shell };
}

/** The command inside `cronplane exec --monitor JOB -- ...`. */
function unwrapped(command: { argv: readonly string[]; shell: boolean }) {
  if (command.argv[0] !== 'cronplane') return command;
  const argv = command.argv.slice(command.argv.indexOf('--') + 1);
  if (argv.length === 3 && argv[0] === '/bin/sh' && argv[1] === '-c')
    return { argv: argv.slice(2), shell: true };
  return { argv, shell: false };
}

function plainEnv(job: ResolvedJob): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.env).filter(
      (entry): entry is [string, string] => !(entry[1] instanceof Secret) && entry[1] !== '',
    ),
  );
}

describe('export round trips', () => {
  const { config, file } = loadJobs(fixture);

  it('crontab: import(export(jobs)) gives back schedule, zone, command, plain env and the same 100 fires', () => {
    const exported = crontabExporter.exportJobs(config.jobs, { configPath: file });
    const text = exported.files[0]?.text ?? '';
    assert.doesNotMatch(text, /s3cr3t-value/);
    const imported = createCrontabImporter({ localTimeZone: () => 'UTC' }).importFiles([
      { path: 'crontab', text },
    ]);
    const back = loadImportedWith(imported, { TOKEN: 'from-the-environment' }).jobs;
    assert.equal(back.length, config.jobs.length, text);
    config.jobs.forEach((job, index) => {
      const again = back[index];
      assert.ok(again !== undefined);
      assert.deepEqual(unwrapped(commandOf(again)), commandOf(job), job.name);
      assert.deepEqual(plainEnv(again), plainEnv(job), job.name);
      assert.deepEqual(firesOf(again), firesOf(job), `${job.name}: the next 100 fires`);
    });
  });

  it('k8s: import(export(jobs)) gives back schedule, zone, command, env, concurrency, retries, timeout and the same 100 fires', () => {
    const exported = k8sExporter.exportJobs(config.jobs, { configPath: file });
    assert.doesNotMatch(JSON.stringify(exported), /s3cr3t-value/);
    const imported = k8sImporter.importFiles(exported.files.map((f) => ({ path: f.path, text: f.text })));
    const back = loadImportedWith(imported, { TOKEN: 'from-the-environment' }).jobs;
    assert.equal(back.length, config.jobs.length);
    config.jobs.forEach((job, index) => {
      const again = back[index];
      assert.ok(again !== undefined);
      // A shell line runs in the container as /bin/sh -c LINE, which the importer gives back as a shell line.
      assert.deepEqual(commandOf(again), commandOf(job), job.name);
      assert.deepEqual(plainEnv(again), plainEnv(job), job.name);
      assert.equal(again.concurrency, job.concurrency, job.name);
      assert.equal(again.retry.attempts, job.retry.attempts, job.name);
      assert.equal(again.timeoutMs, job.timeoutMs, job.name);
      assert.deepEqual(firesOf(again), firesOf(job), `${job.name}: the next 100 fires`);
    });
  });
});

/** The seed deployments' crontabs, imported, exported and imported again: same commands, same fires. */
describe('the seed crontabs export back to crontab', () => {
  const importer = createCrontabImporter({ localTimeZone: () => 'UTC' });
  const env = { CRON_SECRET: 'from-the-environment' };
  for (const seed of ['ai-audit-queue', 'ai-mkt', 'api-gateway', 'datapilot-cleanup', 'sigmak-drift']) {
    it(seed, () => {
      const file = path.join(import.meta.dirname, 'fixtures', 'seeds', `${seed}.crontab`);
      const first = loadImportedWith(
        importer.importFiles([{ path: file, text: readFileSync(file, 'utf8') }]),
        env,
      );
      const exported = crontabExporter.exportJobs(first.jobs, { configPath: file });
      const text = exported.files[0]?.text ?? '';
      const again = loadImportedWith(importer.importFiles([{ path: 'crontab', text }]), env).jobs;
      assert.equal(again.length, first.jobs.length, text);
      first.jobs.forEach((job, index) => {
        const back = again[index];
        assert.ok(back !== undefined);
        assert.deepEqual(unwrapped(commandOf(back)), commandOf(job), `${job.name}\n${text}`);
        assert.deepEqual(firesOf(back), firesOf(job), `${job.name}: the next 100 fires`);
      });
    });
  }
});
