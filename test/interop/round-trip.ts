/**
 * Test helpers: a job's round trip through each platform, `import(export(job))`, asserting that
 * every field the platform carries comes back (the table "What a round trip gives back" in
 * docs/interop.md) and that the next 100 fires of each exported schedule equal cronplane's own
 * (for systemd also as `systemd-analyze calendar` computes them, and every unit pair verified).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as shellWords } from 'shell-quote';
import { compileSchedule } from '../../src/calendar/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { Secret } from '../../src/config/index.ts';
import type { ExportedFile, ExportResult } from '../../src/interop/index.ts';
import {
  createCrontabImporter,
  crontabExporter,
  k8sExporter,
  k8sImporter,
  monitorsFileName,
  systemdExporter,
  systemdImporter,
} from '../../src/interop/index.ts';
import { loadImportedWith } from './export-fixtures.ts';
import { assertUnitsVerify, systemdCalendarFires } from './systemd-analyze.ts';

/** Across the March changes to summer time in the US and the EU. */
export const roundTripStart = Date.UTC(2026, 2, 20);
const now = Date.UTC(2026, 2, 1);

/** The next 100 fires of all a job's schedules together (the startup one has none). */
export function firesOf(job: ResolvedJob, start = roundTripStart, count = 100): number[] {
  const schedules = job.schedules.map((schedule) =>
    compileSchedule(schedule.spec, { timezone: job.timezone }),
  );
  const fires: number[] = [];
  for (let at = start; fires.length < count;) {
    const next = Math.min(...schedules.map((schedule) => schedule.next(at) ?? Infinity));
    if (next === Infinity) break;
    fires.push(next);
    at = next;
  }
  return fires;
}

/** What a job runs: its argv, or its shell line; a plain line kept as a shell line is read back into words. */
export function commandOf(job: ResolvedJob): { argv: readonly string[]; shell: boolean } {
  const target = job.target as unknown as { argv: readonly string[]; shell: boolean };
  const line = target.argv[0] ?? '';
  if (target.shell && shellWords(line).every((word) => typeof word === 'string'))
    return { argv: shellWords(line).map(String), shell: false };
  if (!target.shell && target.argv.length === 3 && target.argv[0] === '/bin/sh' && target.argv[1] === '-c')
    return commandOf({
      ...job,
      target: { ...job.target, argv: [target.argv[2]], shell: true },
    } as ResolvedJob);
  return { argv: target.argv, shell: target.shell };
}

/** The command inside `cronplane exec --monitor JOB -- ...`. */
export function unwrapped(command: { argv: readonly string[]; shell: boolean }) {
  if (command.argv[0] !== 'cronplane') return command;
  const argv = command.argv.slice(command.argv.indexOf('--') + 1);
  if (argv.length === 3 && argv[0] === '/bin/sh' && argv[1] === '-c')
    return { argv: argv.slice(2), shell: true };
  return { argv, shell: false };
}

export function plainEnv(job: ResolvedJob): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.env).filter(
      (entry): entry is [string, string] => !(entry[1] instanceof Secret) && entry[1] !== '',
    ),
  );
}

function platformFiles(result: ExportResult): ExportedFile[] {
  return result.files.filter((file) => file.path !== monitorsFileName);
}

function sameCommand(back: ResolvedJob, job: ResolvedJob, what: string): void {
  assert.deepEqual(
    commandOf({ ...back, target: { ...back.target, ...unwrapped(commandOf(back)) } } as ResolvedJob),
    commandOf(job),
    what,
  );
}

/** crontab carries: the schedules (same fires, zone by CRON_TZ=), the command, the plain env. */
export function crontabRoundTrip(
  jobs: readonly ResolvedJob[],
  env: Record<string, string>,
  configPath: string,
): void {
  const exported = crontabExporter.exportJobs(jobs, { configPath, now });
  const text = exported.files[0]?.text ?? '';
  const importer = createCrontabImporter({ localTimeZone: () => 'UTC' });
  const back = loadImportedWith(importer.importFiles([{ path: 'crontab', text }]), env).jobs;
  const expected = jobs.filter((job) => job.enabled && job.target.kind === 'command');
  assert.equal(
    back.length,
    expected.reduce((n, job) => n + job.schedules.length * job.fanOut.length, 0),
    text,
  );
  let index = 0;
  for (const job of expected) {
    for (let line = 0; line < job.schedules.length; line++) {
      const again = back[index++];
      assert.ok(again !== undefined);
      const what = `${job.name} (crontab)\n${text}`;
      // A job with pre: steps comes back as one shell line holding them (crontab-exporter.test.ts runs it).
      if (job.cwd === undefined && job.pre.length === 0) sameCommand(again, job, what);
      assert.deepEqual(plainEnv(again), plainEnv(job), what);
      assert.deepEqual(
        firesOf(again),
        firesOf({ ...job, schedules: [job.schedules[line]!] }),
        `${what}: the next 100 fires`,
      );
    }
  }
}

/**
 * systemd carries: the schedules (same fires, and systemd-analyze agrees), the command, the plain
 * env, cwd, user, group, timeout, memory/CPU/open-files limits, catch-up, randomized delay, fixed
 * retries, the condition, the pre steps (ExecStartPre=) and exit codes meaning success; every pair
 * passes systemd-analyze verify.
 */
export function systemdRoundTrip(
  jobs: readonly ResolvedJob[],
  env: Record<string, string>,
  configPath: string,
): void {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-round-trip-'));
  const timers: string[] = [];
  for (const job of jobs) {
    const exported = systemdExporter.exportJobs([job], { configPath, now });
    const files = platformFiles(exported);
    if (job.target.kind !== 'command') {
      assert.equal(files.length, 0);
      continue;
    }
    const back = loadImportedWith(systemdImporter.importFiles(files), env).jobs;
    assert.equal(back.length, job.fanOut.length, job.name);
    const again = back[0] as ResolvedJob;
    const what = `${job.name} (systemd)\n${files.map((file) => `${file.path}:\n${file.text}`).join('\n')}`;
    if (job.fanOut.length === 1) {
      sameCommand(again, job, what);
      assert.deepEqual(plainEnv(again), plainEnv(job), what);
    }
    for (const key of ['cwd', 'user', 'group', 'timeoutMs', 'limits', 'randomizedDelayMs'] as const) {
      if (key === 'limits') {
        const { processes: _processes, ...limits } = job.limits;
        assert.deepEqual(again.limits, limits, `${what}: limits`);
      } else assert.deepEqual(again[key], job[key], `${what}: ${key}`);
    }
    assert.equal(again.catchUp === 'skip', job.catchUp === 'skip', `${what}: catch_up`);
    if (job.retry.backoff === 'fixed')
      assert.deepEqual(
        [again.retry.attempts, again.retry.delayMs],
        [job.retry.attempts, job.retry.attempts > 1 ? job.retry.delayMs : again.retry.delayMs],
        `${what}: retry`,
      );
    assert.deepEqual(conditionOf(again), conditionOf(job), `${what}: condition`);
    assert.deepEqual(again.pre.map(stepOf), job.pre.map(stepOf), `${what}: pre (ExecStartPre=)`);
    const success = [...job.exitCodes].filter(([, outcome]) => outcome === 'success' || outcome === 'skip');
    assert.deepEqual(
      [...again.exitCodes.keys()].sort(),
      success.map(([code]) => code).sort(),
      `${what}: exit codes`,
    );
    const timer = files.find((file) => file.path.endsWith('.timer'));
    assert.ok(timer !== undefined);
    const calendars = timer.text
      .split('\n')
      .filter((line) => line.startsWith('OnCalendar='))
      .map((line) => line.slice(11));
    const calendarJobs = job.schedules.filter(
      (schedule) => schedule.spec.kind === 'calendar' || schedule.spec.kind === 'interval',
    );
    if (calendars.length > 0 && !timer.text.includes('OnUnitActiveSec=')) {
      const ours = firesOf({ ...job, schedules: calendarJobs });
      assert.deepEqual(firesOf(again), ours, `${what}: the next 100 fires, imported back`);
      const oracle = new Set<number>();
      for (const expression of calendars)
        for (const fire of systemdCalendarFires(expression, roundTripStart, 100)) oracle.add(fire);
      const theirs = [...oracle].sort((a, b) => a - b).slice(0, 100);
      const gaps = exported.warnings.some((warning) => /springs forward|falls back/.test(warning.message));
      if (gaps)
        assert.equal(
          theirs.filter((fire) => !ours.includes(fire)).length,
          0,
          `${what}: systemd-analyze fires are cronplane's`,
        );
      else assert.deepEqual(theirs, ours, `${what}: systemd-analyze calendar --iterations=100`);
    }
    for (const file of files) writeFileSync(path.join(folder, file.path), file.text);
    timers.push(
      ...files.filter((file) => file.path.endsWith('.timer')).map((file) => path.join(folder, file.path)),
    );
  }
  if (timers.length > 0) assertUnitsVerify(timers);
}

function stepOf(step: ResolvedJob['pre'][number]) {
  return commandOf({
    target: { kind: 'command', argv: step.argv, shell: step.shell },
  } as unknown as ResolvedJob);
}

function conditionOf(job: ResolvedJob) {
  if (job.condition === undefined) return undefined;
  return commandOf({
    ...job,
    target: { kind: 'command', argv: job.condition.argv, shell: job.condition.shell },
  } as unknown as ResolvedJob);
}

/**
 * Kubernetes carries: the schedules (same fires, zone by timeZone), the command, the plain env,
 * concurrency (queue as Forbid), retry attempts, timeout, cwd, start deadline, suspend.
 */
export function k8sRoundTrip(
  jobs: readonly ResolvedJob[],
  env: Record<string, string>,
  configPath: string,
): void {
  for (const job of jobs) {
    const exported = k8sExporter.exportJobs([job], { configPath, now });
    if (job.target.kind !== 'command') {
      assert.equal(exported.files.length, 0);
      continue;
    }
    const back = loadImportedWith(
      k8sImporter.importFiles(exported.files.map((f) => ({ path: f.path, text: f.text }))),
      env,
    ).jobs;
    const schedules = job.schedules.filter((schedule) => schedule.spec.kind !== 'startup');
    assert.equal(back.length, schedules.length * job.fanOut.length, job.name);
    back.forEach((again, index) => {
      const what = `${job.name} (k8s)\n${exported.files.map((file) => file.text).join('---\n')}`;
      if (job.fanOut.length === 1) {
        // A job with pre: steps comes back as one shell line holding them (k8s-exporter.test.ts runs it).
        if (job.pre.length === 0) sameCommand(again, job, what);
        assert.deepEqual(plainEnv(again), plainEnv(job), what);
      }
      assert.equal(again.concurrency, job.concurrency === 'queue' ? 'forbid' : job.concurrency, what);
      assert.equal(again.retry.attempts, job.retry.attempts, what);
      assert.equal(
        again.timeoutMs,
        job.timeoutMs === undefined ? undefined : Math.ceil(job.timeoutMs / 1000) * 1000,
        what,
      );
      assert.equal(again.cwd, job.cwd, what);
      assert.equal(again.enabled, job.enabled, what);
      assert.equal(
        again.startDeadlineMs,
        job.startDeadlineMs === undefined ? undefined : Math.ceil(job.startDeadlineMs / 1000) * 1000,
        what,
      );
      const schedule = schedules[Math.floor(index / job.fanOut.length)];
      assert.ok(schedule !== undefined);
      assert.deepEqual(
        firesOf(again),
        firesOf({ ...job, schedules: [schedule] }),
        `${what}: the next 100 fires`,
      );
    });
  }
}
