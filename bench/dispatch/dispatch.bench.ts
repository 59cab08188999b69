/**
 * Dispatch throughput: N no-op in-process runs end to end (inserted in batches, claimed,
 * executed, finished) on cronplane's SQLite and PostgreSQL stores, and the same workload on
 * graphile-worker and pg-boss against the same PostgreSQL, each with its fastest documented
 * settings. Prints runs per second and cronplane's ratio to each peer.
 *
 *   npm run bench:dispatch -- --runs 20000
 *   npm run bench:dispatch -- --runs 20000 --only postgres,graphile
 *
 * `--only` takes a comma list of case-insensitive parts of the system names and measures the
 * systems whose name contains any of them (default: all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PgBoss } from 'pg-boss';
import { makeWorkerUtils, run as runGraphileWorker } from 'graphile-worker';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import { Worker, systemClock } from '../../src/engine/index.ts';
import { createExecuteRun } from '../../src/engine/execute-run.ts';
import { createLogger } from '../../src/logging/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { NewRun } from '../../src/store/index.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';

const runs = numberFlag('runs', 20_000);
const only = stringFlag('only', '')
  .split(',')
  .map((part) => part.trim().toLowerCase())
  .filter((part) => part !== '');
const batch = 1000;
const logger = createLogger({ level: 'silent' });

async function cronplane(storeUrl: string): Promise<number> {
  const noop = path.join(import.meta.dirname, 'noop-job.ts');
  const config = resolveConfig(
    loadJobFileText(
      `version: 1\njobs:\n  noop: { module: { path: ${JSON.stringify(noop)} } }\n`,
      'bench.yaml',
      {},
    ),
  );
  const store = await openStore(storeUrl);
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const worker = new Worker({
    store,
    clock: systemClock(),
    node: 'bench',
    logger,
    slots: 256,
    pollMs: 50,
    execute: createExecuteRun(),
    onRunFinished: () => {
      if (++finished === runs) allDone();
      return Promise.resolve();
    },
  });
  worker.start(config.jobs);
  const now = Date.now();
  const started = performance.now();
  for (let offset = 0; offset < runs; offset += batch) {
    const rows: NewRun[] = [];
    for (let i = offset; i < Math.min(runs, offset + batch); i++) {
      rows.push({ job: 'noop', trigger: 'api', scheduledAt: now, queuedAt: now });
    }
    await store.insertRuns(rows);
    worker.wake();
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  await worker.drain(1000);
  await store.release();
  return runs / seconds;
}

async function graphileWorker(connectionString: string): Promise<number> {
  const utils = await makeWorkerUtils({ connectionString });
  await utils.migrate();
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  // The settings graphile-worker documents for its best throughput (docs: Performance).
  const runner = await runGraphileWorker({
    connectionString,
    concurrency: 24,
    maxPoolSize: 25,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: new (await import('graphile-worker')).Logger(() => () => undefined),
    taskList: {
      noop: () => {
        if (++finished === runs) allDone();
        return Promise.resolve();
      },
    },
    preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  });
  const started = performance.now();
  for (let offset = 0; offset < runs; offset += batch) {
    const specs = [];
    for (let i = offset; i < Math.min(runs, offset + batch); i++)
      specs.push({ identifier: 'noop', payload: {} });
    await utils.addJobs(specs);
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  await utils.release();
  return runs / seconds;
}

async function pgBoss(connectionString: string): Promise<number> {
  const boss = new PgBoss({ connectionString, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue('noop');
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  // Batch fetch and completion with continuous fetching while batches come back full.
  await boss.work(
    'noop',
    { batchSize: 500, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5, localConcurrency: 2 },
    (jobs) => {
      finished += jobs.length;
      if (finished >= runs) allDone();
      return Promise.resolve();
    },
  );
  const started = performance.now();
  for (let offset = 0; offset < runs; offset += batch) {
    const jobs = [];
    for (let i = offset; i < Math.min(runs, offset + batch); i++) jobs.push({ data: {} });
    await boss.insert('noop', jobs);
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  await boss.stop({ graceful: false });
  return runs / seconds;
}

/** cronplane on a new SQLite file in a temporary folder, removed afterwards. */
async function cronplaneSqlite(): Promise<number> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-bench-'));
  try {
    return await cronplane(`sqlite:${path.join(folder, 'bench.db')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // Each system's name (shown in the table, matched by --only) and its measurement.
  const systems: readonly (readonly [string, () => Promise<number>])[] = [
    ['cronplane, SQLite', cronplaneSqlite],
    ['cronplane, PostgreSQL', () => withEmptyPostgres(cronplane)],
    ['graphile-worker 0.18 (local queue, batched completion)', () => withEmptyPostgres(graphileWorker)],
    ['pg-boss 12 (batch 500, burst)', () => withEmptyPostgres(pgBoss)],
  ];
  const selected =
    only.length === 0
      ? systems
      : systems.filter(([name]) => only.some((part) => name.toLowerCase().includes(part)));
  if (selected.length === 0) {
    const names = systems.map(([name]) => name).join('; ');
    throw new Error(`--only ${only.join(',')} matches none of: ${names}`);
  }
  console.log(`dispatch: ${runs} no-op runs end to end; ${describeMachine()}`);
  const results: [string, number][] = [];
  for (const [name, bench] of selected) results.push([name, await bench()]);
  const peers = results.filter(([name]) => !name.startsWith('cronplane'));
  printTable([
    ['system', 'runs/s', ...peers.map(([name]) => `cronplane ÷ ${name.split(' ')[0]}`)],
    ...results.map(([name, rate]) => [
      name,
      Math.round(rate),
      ...peers.map(([, peerRate]) => (name.startsWith('cronplane') ? (rate / peerRate).toFixed(2) : '')),
    ]),
  ]);
}

await main();
