/**
 * API-defined jobs at scale: a daemon (SQLite by default, or `--store postgres`: a scratch database) takes N schedules
 * through bulk `PUT /api/jobs` (batches of `--batch`), measured as schedules created per second,
 * then holds them idle: RSS and the CPU used over a quiet window. Schedules are hourly and daily
 * at minutes away from now, so none fires while measuring.
 *
 *   node --expose-gc bench/api/api-jobs.bench.ts --schedules 100000 --batch 1000 --window 60 --settle 10
 *
 * Then (unless `--restart 0`) the same store is opened by a fresh daemon in a child process that
 * does nothing else, as after a restart: its RSS, heap and CPU over the same quiet window are the
 * idle figures of a daemon holding N API jobs (the first process also holds the client's garbage).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { returnFreeMemoryAfterLoad } from '../../src/daemon/index.ts';
import { apiUrlOf, benchToken, startApiBenchDaemon } from '../support/api-bench-daemon.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { putApiJobs } from '../support/put-api-jobs.ts';

const schedules = numberFlag('schedules', 100_000);
const batch = numberFlag('batch', 1000);
// A minute: the idle rhythm has 5 s, 10 s and 30 s parts, and SQLite's checkpoint thread starts
// once in a daemon's first minutes (about 150 ms of CPU), which a short window overweights.
const windowSeconds = numberFlag('window', 60);
/** Seconds between the last write and the idle window (the WAL checkpoint and collections settle). */
const settleSeconds = numberFlag('settle', 10);

const now = new Date();
const quietMinute = (i: number): number => (now.getUTCMinutes() + 10 + (i % 40)) % 60;
const entryOf = (i: number): Record<string, unknown> =>
  i % 2 === 0
    ? { schedule: `${quietMinute(i)} * * * *`, run: 'true' }
    : { schedule: `${quietMinute(i)} ${(now.getUTCHours() + 2) % 24} * * *`, run: 'true' };

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-api-jobs-'));
const configFile = path.join(folder, 'cronplane.yaml');
writeFileSync(configFile, 'version: 1\njobs: {}\n');
const storeFlag = stringFlag('store', 'sqlite');
const restart = numberFlag('restart', 1) !== 0;
/** Set in the child process: only open this store and measure idle. */
const idleOn = stringFlag('idle-on', '');

async function measure(storeUrl: string): Promise<void> {
  const daemon = await startApiBenchDaemon({ configFile, storeUrl, node: 'bench' });
  try {
    const url = apiUrlOf(daemon);
    const batchSeconds: number[] = [];
    const createCpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let first = 0; first < schedules; first += batch) {
      const body = Array.from({ length: Math.min(batch, schedules - first) }, (_, k) => ({
        name: `p${first + k}`,
        entry: entryOf(first + k),
      }));
      const batchStarted = performance.now();
      await putApiJobs(url, benchToken, body);
      batchSeconds.push((performance.now() - batchStarted) / 1000);
    }
    const createSeconds = (performance.now() - started) / 1000;
    const createCpu = process.cpuUsage(createCpuBefore);
    // Schedules per second of this process's CPU (client and daemon share it): the rate a quiet core gives.
    const perCpuSecond = schedules / ((createCpu.user + createCpu.system) / 1e6);
    const held = daemon.engine.jobs.length;
    returnFreeMemoryAfterLoad(held);
    globalThis.gc?.();
    const heapUsed = process.memoryUsage().heapUsed;
    await sleep(settleSeconds * 1000);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await sleep(windowSeconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const wall = performance.now() - wallBefore;
    const rss = process.memoryUsage().rss;
    const sorted = [...batchSeconds].sort((a, b) => a - b);
    console.log(
      `api-jobs: ${schedules} schedules through PUT /api/jobs in batches of ${batch} on ${storeUrl.split(':')[0]}; ${describeMachine()}; at the end ${describeLoadAverage()}`,
    );
    printTable([
      [
        'schedules',
        'held by the engine',
        'created/s',
        'created per CPU-second',
        'batch median (s)',
        'batch max (s)',
        'RSS idle (MB)',
        'heap (MB)',
        'idle CPU (% of a core)',
      ],
      [
        String(schedules),
        String(held),
        (schedules / createSeconds).toFixed(0),
        perCpuSecond.toFixed(0),
        (sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(3),
        (sorted.at(-1) ?? 0).toFixed(3),
        (rss / 2 ** 20).toFixed(0),
        (heapUsed / 2 ** 20).toFixed(0),
        (((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(2),
      ],
    ]);
  } finally {
    await daemon.stop(1000);
  }
  if (restart) await measureRestarted(storeUrl);
}

/** A fresh daemon in a child process on the same store: its idle RSS, heap and CPU. */
async function measureRestarted(storeUrl: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...process.execArgv.filter((flag) => flag !== '--expose-gc'),
      process.argv[1] ?? '',
      '--idle-on',
      storeUrl,
      '--window',
      String(windowSeconds),
      '--settle',
      String(settleSeconds),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the restarted daemon's measure exited with ${code}`);
}

async function measureIdle(storeUrl: string): Promise<void> {
  const started = performance.now();
  const daemon = await startApiBenchDaemon({ configFile, storeUrl, node: 'bench-restarted' });
  try {
    const startSeconds = (performance.now() - started) / 1000;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    await sleep(settleSeconds * 1000);
    globalThis.gc?.();
    const heapUsed = process.memoryUsage().heapUsed;
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await sleep(windowSeconds * 1000);
    const cpu = process.cpuUsage(cpuBefore);
    const wall = performance.now() - wallBefore;
    const rss = process.memoryUsage().rss;
    console.log(`restarted daemon on the same store; at the end ${describeLoadAverage()}`);
    printTable([
      [
        'held by the engine',
        'start (s)',
        'peak RSS (MB)',
        'RSS idle (MB)',
        'heap (MB)',
        'idle CPU (% of a core)',
      ],
      [
        String(daemon.engine.jobs.length),
        startSeconds.toFixed(1),
        (peakRss / 2 ** 20).toFixed(0),
        (rss / 2 ** 20).toFixed(0),
        (heapUsed / 2 ** 20).toFixed(0),
        (((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(2),
      ],
    ]);
  } finally {
    await daemon.stop(1000);
  }
}

try {
  if (idleOn !== '') await measureIdle(idleOn);
  else if (storeFlag === 'postgres') await withEmptyPostgres(measure);
  else await measure(`sqlite:${path.join(folder, 'api-jobs.db')}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
