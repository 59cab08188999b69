/**
 * Idle cost: N schedules (100,000 by default: hourly and daily jobs at spread minutes, so none
 * fires during the measurement) held by a running engine; measures RSS after start-up and the
 * CPU used over a quiet window. Also the RSS once the job file is loaded (before the engine
 * starts), the RSS once the engine started, and the V8 heap in use after start-up. V8 keeps the
 * pages it grew into pooled, so RSS would show the peak of start-up (loading the YAML); the
 * daemon hands them back after loading a large file (`returnFreeMemoryAfterLoad`), and so does
 * this script, at the same point. Run with `--expose-gc` so the heap is measured after a full
 * collection.
 *
 *   node --expose-gc bench/dispatch/idle.bench.ts --schedules 100000 --window 20
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveConfig, loadJobFileText } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { openStore } from '../../src/store/index.ts';
import { returnFreeMemoryAfterLoad } from '../../src/daemon/index.ts';
import { describeMachine, numberFlag, printTable } from '../support/machine.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const schedules = numberFlag('schedules', 100_000);
const windowSeconds = numberFlag('window', 20);

const now = new Date();
// Minutes well away from now, so nothing fires while measuring.
const quietMinute = (i: number) => (now.getUTCMinutes() + 10 + (i % 40)) % 60;
const lines = Array.from({ length: schedules }, (_, i) =>
  i % 2 === 0
    ? `  j${i}: { schedule: "${quietMinute(i)} * * * *", run: "true" }`
    : `  j${i}: { schedule: "${quietMinute(i)} ${(now.getUTCHours() + 2) % 24} * * *", run: "true" }`,
);
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-idle-'));
try {
  const loadStarted = performance.now();
  const config = resolveConfig(
    loadJobFileText(`version: 1\njobs:\n${lines.join('\n')}\n`, 'bench.yaml', { kinds: builtinKinds }),
  );
  const loadedRss = process.memoryUsage().rss;
  // The generated file is the bench's, not the daemon's: let it go before measuring.
  lines.length = 0;
  const store = await openStore(`sqlite:${path.join(folder, 'idle.db')}`);
  const engine = new Engine({
    store,
    clock: systemClock(),
    node: 'bench',
    logger: createLogger({ level: 'silent' }),
    execute: () => Promise.resolve({ outcome: 'success' as const }),
  });
  await engine.start(config);
  // As the daemon does after loading a large job file (src/daemon/return-free-memory.ts).
  const beforeReturnRss = process.memoryUsage().rss;
  const returnStarted = performance.now();
  returnFreeMemoryAfterLoad(config.jobs.length);
  const returnMs = performance.now() - returnStarted;
  const startSeconds = (performance.now() - loadStarted) / 1000;
  globalThis.gc?.();
  const heapUsed = process.memoryUsage().heapUsed;
  await sleep(2000);
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await sleep(windowSeconds * 1000);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  const rssAfter = process.memoryUsage().rss;
  console.log(`idle: ${schedules} schedules on SQLite, quiet for ${windowSeconds} s; ${describeMachine()}`);
  printTable([
    [
      'schedules',
      'start-up (s)',
      'RSS after loading the file (MB)',
      'RSS after start, before returning free pages (MB)',
      'returning them (ms)',
      'RSS (MB)',
      'heap in use (MB)',
      'RSS growth over window (MB)',
      'CPU while idle (% of a core)',
    ],
    [
      schedules,
      startSeconds.toFixed(1),
      Math.round(loadedRss / 2 ** 20),
      Math.round(beforeReturnRss / 2 ** 20),
      Math.round(returnMs),
      Math.round(rssAfter / 2 ** 20),
      Math.round(heapUsed / 2 ** 20),
      ((rssAfter - rssBefore) / 2 ** 20).toFixed(1),
      (((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(2),
    ],
  ]);
  await engine.drain(1000);
  await store.release();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
