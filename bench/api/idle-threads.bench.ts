/**
 * Where an idle daemon's CPU goes: opens an existing store (`--store-url`, e.g. one filled by
 * `api-jobs.bench.ts` or by bulk `PUT /api/jobs`) with a daemon that does nothing else and, over
 * a quiet window after `--settle` seconds, reports the CPU of each of its threads (main thread,
 * V8's collector helpers, SQLite's checkpoint thread; from /proc/self/task/<tid>/stat) and every
 * store call it made (counted by name).
 *
 *   node --expose-gc bench/api/idle-threads.bench.ts --store-url sqlite:/tmp/api.db --settle 5 --window 60
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApiBenchDaemon } from '../support/api-bench-daemon.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';

const storeUrl = stringFlag('store-url', '');
if (storeUrl === '') throw new Error('--store-url is required (a store holding the jobs to idle with)');
const settleSeconds = numberFlag('settle', 5);
const windowSeconds = numberFlag('window', 60);
/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** CPU ticks (user + system) of each thread of this process, with its name. */
function threadTicks(): Map<string, { readonly name: string; readonly ticks: number }> {
  const threads = new Map<string, { name: string; ticks: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      threads.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return threads;
}

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-idle-threads-'));
const configFile = path.join(folder, 'cronplane.yaml');
writeFileSync(configFile, 'version: 1\njobs: {}\n');
const daemon = await startApiBenchDaemon({ configFile, storeUrl, node: 'bench-idle-threads' });
try {
  // Every store call the daemon's parts make goes through this object: count them by name.
  const calls = new Map<string, number>();
  const store = daemon.store as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(store)) {
    if (typeof value !== 'function') continue;
    const call = value as (...args: unknown[]) => unknown;
    store[name] = (...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return call(...args);
    };
  }
  await sleep(settleSeconds * 1000);
  globalThis.gc?.();
  calls.clear();
  const before = threadTicks();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await sleep(windowSeconds * 1000);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  const after = threadTicks();
  const callsInWindow = [...calls].sort((a, b) => b[1] - a[1]);
  const percent = (ms: number) => ((ms / wall) * 100).toFixed(2);
  console.log(
    `idle threads: ${daemon.engine.jobs.length} jobs on ${storeUrl.split(':')[0]}, quiet for ${windowSeconds} s after ${settleSeconds} s; ` +
      `at the end ${describeLoadAverage()}; ${describeMachine()}`,
  );
  console.log(
    `process CPU ${percent((cpu.user + cpu.system) / 1000)}% of a core; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
  );
  const rows = [...after]
    .map(([tid, thread]) => [tid, thread.name, thread.ticks - (before.get(tid)?.ticks ?? 0)] as const)
    .filter(([, , ticks]) => ticks > 0)
    .sort((a, b) => b[2] - a[2]);
  printTable([
    ['thread', 'name', 'CPU (% of a core)', 'started in the window'],
    ...rows.map(([tid, name, ticks]) => [
      tid,
      name,
      percent((ticks * 1000) / ticksPerSecond),
      before.has(tid) ? '' : 'yes',
    ]),
  ]);
  console.log('');
  printTable([['store call', 'calls in the window'], ...callsInWindow.map(([name, count]) => [name, count])]);
} finally {
  await daemon.stop(1000);
  rmSync(folder, { recursive: true, force: true });
}
