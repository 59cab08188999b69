/**
 * `log.file`: runs' output appended to real files, as text or JSON lines, rotated past
 * `max_size`, and a file that cannot be written costing the run nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import { JobLogFiles, logFilePathOf } from '../../src/engine/job-log-files.ts';
import { createLogger } from '../../src/logging/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const T0 = Date.UTC(2026, 2, 14, 2, 0, 0);

function jobWithLog(log: string, folder: string): ResolvedJob {
  const config = resolveConfig(
    loadJobFileText(
      `version: 1\njobs:\n  drift: { run: "true", log: ${log} }\n`,
      path.join(folder, 'cronplane.yaml'),
      { kinds: builtinKinds },
    ),
  );
  const [job] = config.jobs;
  if (job === undefined) throw new Error('no job');
  return job;
}

function recordingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

describe('log.file: output appended to files on the node that runs the job', () => {
  it('appends each run as it is, one run after another, in a folder it makes', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-logfile-'));
    const job = jobWithLog('{ file: "logs/{job}.log" }', folder);
    const files = new JobLogFiles({ logger: recordingLogger().logger, clock: manualClock(T0) });
    const first = files.open(job, { id: 1, job: 'drift', fanKey: '' });
    first?.write('stdout', 'scanning\n');
    first?.write('stderr', 'warning: slow\n');
    await first?.end();
    const second = files.open(job, { id: 2, job: 'drift', fanKey: '' });
    second?.write('stdout', 'done\n');
    await second?.end();
    assert.equal(
      readFileSync(path.join(folder, 'logs/drift.log'), 'utf8'),
      'scanning\nwarning: slow\ndone\n',
    );
  });

  it('writes JSON lines with time, job, run, fan key and stream, joining lines split across chunks', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-logfile-'));
    const job = jobWithLog('{ file: "{job}-{fan_key}.jsonl", format: json }', folder);
    const files = new JobLogFiles({ logger: recordingLogger().logger, clock: manualClock(T0) });
    const run = files.open(job, { id: 7, job: 'drift', fanKey: 'acme/eu' });
    run?.write('stdout', 'first li');
    run?.write('stdout', 'ne\nsecond');
    run?.write('system', '', true);
    await run?.end();
    const file = path.join(folder, 'drift-acme_eu.jsonl');
    assert.equal(logFilePathOf(job, { id: 7, job: 'drift', fanKey: 'acme/eu' }), file);
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const base = { time: '2026-03-14T02:00:00.000Z', job: 'drift', run: 7, fan_key: 'acme/eu' };
    assert.deepEqual(records, [
      { ...base, stream: 'stdout', line: 'first line' },
      { ...base, stream: 'system', line: 'output reached the capture limit: the rest was not kept' },
      { ...base, stream: 'stdout', line: 'second' },
    ]);
  });

  it('rotates past max_size into numbered copies, keeping keep of them, newest first', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-logfile-'));
    const job = jobWithLog('{ file: app.log, max_size: 10B, keep: 2 }', folder);
    const files = new JobLogFiles({ logger: recordingLogger().logger, clock: manualClock(T0) });
    for (const text of ['aaaaaa\n', 'bbbbbb\n', 'cccccc\n', 'dddddd\n']) {
      const run = files.open(job, { id: 1, job: 'drift', fanKey: '' });
      run?.write('stdout', text);
      await run?.end();
    }
    const read = (name: string) => readFileSync(path.join(folder, name), 'utf8');
    assert.equal(read('app.log'), 'dddddd\n');
    assert.equal(read('app.log.1'), 'cccccc\n');
    assert.equal(read('app.log.2'), 'bbbbbb\n');
    assert.equal(existsSync(path.join(folder, 'app.log.3')), false, 'the oldest beyond keep is gone');
  });

  it('counts what the file already held when it starts, and keeps five copies when keep is not given', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-logfile-'));
    writeFileSync(path.join(folder, 'app.log'), 'from before the restart\n');
    const job = jobWithLog('{ file: app.log, max_size: 30B }', folder);
    const files = new JobLogFiles({ logger: recordingLogger().logger, clock: manualClock(T0) });
    const run = files.open(job, { id: 1, job: 'drift', fanKey: '' });
    run?.write('stdout', 'new run output\n');
    await run?.end();
    assert.equal(readFileSync(path.join(folder, 'app.log.1'), 'utf8'), 'from before the restart\n');
    assert.equal(readFileSync(path.join(folder, 'app.log'), 'utf8'), 'new run output\n');
    assert.equal(job.log.keep, undefined);
  });

  it('lets a run go on when its file cannot be written, and says so once per file', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-logfile-'));
    const locked = path.join(folder, 'locked');
    mkdirSync(locked);
    // A regular file where a folder should be: appending fails even for root.
    writeFileSync(path.join(locked, 'sub'), 'not a folder');
    const job = jobWithLog(`{ file: "${path.join(locked, 'sub', 'x.log')}" }`, folder);
    const { logger, lines } = recordingLogger();
    const files = new JobLogFiles({ logger, clock: manualClock(T0) });
    for (const id of [1, 2]) {
      const run = files.open(job, { id, job: 'drift', fanKey: '' });
      run?.write('stdout', 'output\n');
      await run?.end();
    }
    await files.drain();
    const warnings = lines.filter((line) => line.includes('cannot append to the log file'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /x\.log/);
  });

  it('opens nothing for a job without log.file', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-logfile-'));
    const job = jobWithLog('{ capture_limit: 1K }', folder);
    const files = new JobLogFiles({ logger: recordingLogger().logger, clock: manualClock(T0) });
    assert.equal(files.open(job, { id: 1, job: 'drift', fanKey: '' }), undefined);
  });
});
