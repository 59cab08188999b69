/**
 * Idle cost: N schedules (100,000 by default: hourly and daily jobs at spread minutes, so none
 * fires during the measurement) held by a running engine; measures start-up, its peak memory,
 * the RSS after start-up and the CPU used over a quiet window, on SQLite or PostgreSQL
 * (`--store`, a new scratch database of the test server).
 *
 * Start-up is split into its phases (reading and validating the job file, resolving it, the
 * engine's start: the `jobs` table sync and the schedule load), each with its wall and CPU time
 * (the job file is written to a scratch folder first and read from there, as the daemon reads it):
 * on a shared machine the CPU time is the steadier figure. The peak is the kernel's high-water
 * mark of the resident set (`VmHWM` of /proc/self/status), read once start-up is over, so no
 * short peak between two samples is missed. V8 keeps the pages it grew into pooled, so RSS would
 * stay at that peak; the daemon hands them back after loading a large file
 * (`returnFreeMemoryAfterLoad`), and so does this script, at the same point. Run with
 * `--expose-gc` so the heap is measured after a full collection.
 *
 * Between reading and resolving the script collects as the daemon does for a large file
 * (`collectBetweenLoadSteps`; the row `collect`).
 *
 * `--restart` measures a restart instead: the same job file is first loaded into a new scratch
 * store by a child process of this script (its figures are printed first), then this process
 * starts on the filled store, with nothing to write. `--store-url` runs on a given store
 * (kept), `--now` sets the time the job file's quiet minutes are taken from.
 *
 * `--repeat N` measures N times in fresh child processes of this script (`--store both`: SQLite
 * and PostgreSQL taking turns, A B, A B, ...) and prints per store the median of each figure with
 * its min–max, and the machine's load before and after: a single start-up moves by half a second
 * with the machine's phase.
 *
 *   node --expose-gc bench/dispatch/idle.bench.ts --schedules 100000 --window 20 --store sqlite
 *   node --expose-gc bench/dispatch/idle.bench.ts --schedules 100000 --window 20 --store postgres --restart
 *   node --expose-gc bench/dispatch/idle.bench.ts --schedules 100000 --window 3 --store both --repeat 5
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadJobFile, resolveConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { openStore } from '../../src/store/index.ts';
import { collectBetweenLoadSteps, entriesOf, returnFreeMemoryAfterLoad } from '../../src/daemon/index.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { interleave } from '../support/interleave.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';
import { medianSummaryTable } from '../support/median-summary-table.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const schedules = numberFlag('schedules', 100_000);
const windowSeconds = numberFlag('window', 20);
const storeKind = stringFlag('store', 'sqlite');
const repeat = numberFlag('repeat', 0);
if (storeKind !== 'sqlite' && storeKind !== 'postgres' && !(storeKind === 'both' && repeat > 0))
  throw new Error('--store is sqlite or postgres (or both, with --repeat)');
const givenStoreUrl = stringFlag('store-url', '');
const fileNow = numberFlag('now', Date.now());
const restart = process.argv.includes('--restart');

/** The resident set's high-water mark of this process, in MB. */
function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? Number.NaN : Math.round(Number(match[1]) / 1024);
}

interface Phase {
  readonly name: string;
  readonly wallMs: number;
  readonly cpuMs: number;
}

const phases: Phase[] = [];
let rssWithFile = 0;
async function phase<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const wallStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpuStarted);
  phases.push({ name, wallMs: performance.now() - wallStarted, cpuMs: (cpu.user + cpu.system) / 1000 });
  return result;
}

function jobFileText(): string {
  const now = new Date(fileNow);
  // Minutes well away from now, so nothing fires while measuring.
  const quietMinute = (i: number) => (now.getUTCMinutes() + 10 + (i % 40)) % 60;
  const lines = Array.from({ length: schedules }, (_, i) =>
    i % 2 === 0
      ? `  j${i}: { schedule: "${quietMinute(i)} * * * *", run: "true" }`
      : `  j${i}: { schedule: "${quietMinute(i)} ${(now.getUTCHours() + 2) % 24} * * *", run: "true" }`,
  );
  return `version: 1\njobs:\n${lines.join('\n')}\n`;
}

/** Reads and resolves the file as the daemon does; the loaded file is not kept once resolved. */
async function loadConfig(file: string): Promise<ResolvedConfig> {
  rssWithFile = process.memoryUsage().rss;
  const loaded = await phase('read and validate', () => loadJobFile(file, { kinds: builtinKinds }));
  await phase('collect', () => collectBetweenLoadSteps(entriesOf(loaded)));
  return phase('resolve', () => resolveConfig(loaded));
}

async function measure(storeUrl: string): Promise<void> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-idle-file-'));
  const file = path.join(folder, 'cronplane.yaml');
  writeFileSync(file, jobFileText());
  const started = performance.now();
  const config = await loadConfig(file);
  rmSync(folder, { recursive: true, force: true });
  const loadedRss = process.memoryUsage().rss;
  const store = await phase('open store', () => openStore(storeUrl));
  const engine = new Engine({
    store,
    clock: systemClock(),
    node: 'bench',
    logger: createLogger({ level: 'silent' }),
    execute: () => Promise.resolve({ outcome: 'success' as const }),
  });
  await phase('engine start', () => engine.start(config));
  const startSeconds = (performance.now() - started) / 1000;
  const beforeReturnRss = process.memoryUsage().rss;
  const peakMb = peakRssMb();
  // As the daemon does after loading a large job file (src/daemon/return-free-memory.ts).
  const returnStarted = performance.now();
  returnFreeMemoryAfterLoad(config.jobs.length);
  const returnMs = performance.now() - returnStarted;
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
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  console.log(
    `idle: ${schedules} schedules on ${storeKind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, quiet for ${windowSeconds} s; ` +
      `load average ${loadBefore.toFixed(2)} at start, ${(loadavg()[0] ?? Number.NaN).toFixed(2)} at end; ${describeMachine()}`,
  );
  printTable([
    ['start-up phase', 'wall (ms)', 'CPU (ms)'],
    ...phases.map((entry) => [entry.name, Math.round(entry.wallMs), Math.round(entry.cpuMs)]),
  ]);
  console.log('');
  printTable([
    [
      'schedules',
      'start-up (s)',
      'peak RSS (MB)',
      'RSS with the file (MB)',
      'RSS once loaded (MB)',
      'RSS after start (MB)',
      'returning free pages (ms)',
      'RSS (MB)',
      'heap in use (MB)',
      'RSS growth over window (MB)',
      'CPU while idle (% of a core)',
    ],
    [
      schedules,
      startSeconds.toFixed(1),
      peakMb,
      mb(rssWithFile),
      mb(loadedRss),
      mb(beforeReturnRss),
      Math.round(returnMs),
      mb(rssAfter),
      mb(heapUsed),
      ((rssAfter - rssBefore) / 2 ** 20).toFixed(1),
      (((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(2),
    ],
  ]);
  // For a parent measuring with --repeat: the figures of this pass on one line.
  const figures: PassFigures = {
    startSeconds,
    startCpuSeconds: phases.reduce((sum, entry) => sum + entry.cpuMs, 0) / 1000,
    peakMb,
    idleRssMb: mb(rssAfter),
    idleCpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100,
  };
  console.log(`${resultMark}${JSON.stringify(figures)}`);
  await engine.drain(1000);
  await store.release();
}

/** With `--restart`: the first start, in a child process of this script on the same store. */
function firstStart(storeUrl: string): void {
  if (!restart) return;
  const script = fileURLToPath(import.meta.url);
  const flags = ['--schedules', String(schedules), '--window', '1', '--store', storeKind];
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', script, ...flags, '--store-url', storeUrl, '--now', String(fileNow)],
    { encoding: 'utf8' },
  );
  console.log(`first start (a child process on a new store):\n${output}\nrestart on the filled store:`);
}

async function measureOn(storeUrl: string): Promise<void> {
  firstStart(storeUrl);
  await measure(storeUrl);
}

/** What one pass measures, as a --repeat parent reads it from the child's last line. */
interface PassFigures {
  readonly startSeconds: number;
  readonly startCpuSeconds: number;
  readonly peakMb: number;
  readonly idleRssMb: number;
  readonly idleCpuPercent: number;
}

const resultMark = 'pass figures: ';

/** `--repeat N`: N passes per store in fresh child processes, interleaved, then medians. */
function measureRepeatedly(): void {
  const stores = storeKind === 'both' ? ['sqlite', 'postgres'] : [storeKind];
  const script = fileURLToPath(import.meta.url);
  const byStore = new Map<string, PassFigures[]>(stores.map((store) => [store, []]));
  const loadBefore = describeLoadAverage();
  for (const pass of interleave(stores, repeat)) {
    const flags = [
      '--schedules',
      String(schedules),
      '--window',
      String(windowSeconds),
      '--store',
      pass.system,
    ];
    const output = execFileSync(process.execPath, ['--expose-gc', script, ...flags], { encoding: 'utf8' });
    const line = output.split('\n').find((entry) => entry.startsWith(resultMark));
    if (line === undefined)
      throw new Error(`pass ${pass.round} on ${pass.system} printed no figures:\n${output}`);
    const figures = JSON.parse(line.slice(resultMark.length)) as PassFigures;
    byStore.get(pass.system)?.push(figures);
    console.log(
      `pass ${pass.round} ${pass.system}: start-up ${figures.startSeconds.toFixed(2)} s, peak ${figures.peakMb} MB`,
    );
  }
  const column = (label: string, pick: (figures: PassFigures) => number) => ({
    label,
    figures: stores.map((store) => ({ name: store, values: (byStore.get(store) ?? []).map(pick) })),
  });
  console.log(
    `\nidle: ${schedules} schedules, ${repeat} passes per store, quiet for ${windowSeconds} s each; ${describeMachine()}`,
  );
  console.log(`before: ${loadBefore}\nafter:  ${describeLoadAverage()}`);
  printTable(
    medianSummaryTable(
      [
        column('start-up (s)', (figures) => figures.startSeconds),
        column('start-up CPU (s)', (figures) => figures.startCpuSeconds),
        column('peak RSS (MB)', (figures) => figures.peakMb),
        column('idle RSS (MB)', (figures) => figures.idleRssMb),
        column('idle CPU (% of a core)', (figures) => figures.idleCpuPercent),
      ],
      (value) => (Number.isInteger(value) ? String(value) : value.toFixed(2)),
    ),
  );
}

if (repeat > 0) {
  measureRepeatedly();
} else if (givenStoreUrl !== '') {
  await measure(givenStoreUrl);
} else if (storeKind === 'postgres') {
  await withEmptyPostgres(measureOn);
} else {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-idle-'));
  try {
    await measureOn(`sqlite:${path.join(folder, 'idle.db')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
