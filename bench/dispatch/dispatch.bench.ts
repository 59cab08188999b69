/**
 * Dispatch throughput: N no-op in-process runs end to end (inserted in batches, claimed,
 * executed, finished) on cronplane's SQLite and PostgreSQL stores, and the same workload on
 * graphile-worker and pg-boss against the same PostgreSQL and on BullMQ against the local Redis
 * (127.0.0.1:6379), each with its fastest documented settings.
 *
 * The systems are measured interleaved: `--repeat` rounds (5 by default), each measuring every
 * system once in the same order (A B C D E, A B C D E, ...), each pass on a fresh database or
 * queue. A pass is `--runs` runs (100,000 by default: 2.6 s for the quickest rate measured so
 * far on a quiet machine, 3 s or more for the rest, so a pause of the shared machine is a small
 * share of a pass; a pass under 3 s is flagged, raise `--runs` then).
 * Prints one line per pass, then per system the median runs/s with its min–max, the ratios of
 * cronplane's medians to each peer's (with the lowest and highest ratio within one round), and
 * the load average at the start and the end.
 *
 *   npm run bench:dispatch -- --repeat 5
 *   npm run bench:dispatch -- --repeat 5 --runs 100000 --only postgres,graphile
 *
 * `--only` takes a comma list of case-insensitive parts of the system names and measures the
 * systems whose name contains any of them (default: all). `--drop-indexes a,b` drops those
 * indexes from cronplane's freshly migrated store before measuring, to see what they cost each
 * write (e.g. migration 010's `runs_job_scheduled,runs_scheduled`).
 */
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PgBoss } from 'pg-boss';
import { Queue, Worker as BullWorker } from 'bullmq';
import { Redis } from 'ioredis';
import { openStore } from '../../src/store/index.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { medianSummaryTable } from '../support/median-summary-table.ts';
import { ratioTable } from '../support/ratio-table.ts';
import { runInterleaved } from '../support/run-interleaved.ts';
import type { BenchSystem } from '../support/run-interleaved.ts';
import { selectSystems } from '../support/select-systems.ts';
import { prepareNoopDispatch } from './noop-dispatch.ts';
import { prepareGraphileDispatch } from './graphile-dispatch.ts';

const runs = numberFlag('runs', 100_000);
const repeat = numberFlag('repeat', 5);
const only = stringFlag('only', '');
/**
 * A pass shorter than this is flagged: on a shared 2-core machine a pause of a few hundred
 * milliseconds (a vacuum, another process's burst) is a large share of a one-second pass.
 */
const minimumPassSeconds = 3;
const dropIndexes = stringFlag('drop-indexes', '')
  .split(',')
  .map((part) => part.trim())
  .filter((part) => part !== '');
const batch = 1000;
/** cronplane's worker slots (`--slots`): 500 by default, the batch each peer takes (noop-dispatch.ts). */
const slots = numberFlag('slots', 500);

async function cronplane(storeUrl: string): Promise<number> {
  if (dropIndexes.length > 0) {
    await (await openStore(storeUrl)).release();
    await dropStoreIndexes(storeUrl);
  }
  const store = await openStore(storeUrl);
  const prepared = await prepareNoopDispatch(store, runs, batch, slots);
  const started = performance.now();
  await prepared.dispatch();
  const seconds = (performance.now() - started) / 1000;
  await prepared.stop();
  await store.release();
  return seconds;
}

/** Drops `--drop-indexes` from a migrated store (a scratch database of this benchmark). */
async function dropStoreIndexes(storeUrl: string): Promise<void> {
  const statements = dropIndexes.map((name) => `DROP INDEX ${name}`);
  if (storeUrl.startsWith('sqlite:')) {
    const database = new DatabaseSync(storeUrl.slice('sqlite:'.length));
    try {
      for (const statement of statements) database.exec(statement);
    } finally {
      database.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: storeUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function graphileWorker(connectionString: string): Promise<number> {
  const prepared = await prepareGraphileDispatch(connectionString, runs, batch);
  const started = performance.now();
  await prepared.dispatch();
  const seconds = (performance.now() - started) / 1000;
  await prepared.stop();
  return seconds;
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
  return seconds;
}

/** The Redis that BullMQ uses: the local server, no password. */
const redis = { host: '127.0.0.1', port: 6379 };

/**
 * BullMQ's worker concurrency for a no-op processor (see bullmq()): on the project's 2-core
 * machine 50 to 1,000 measured the same within the noise, so a high value that leaves the
 * fetching, not the limit, to set the pace.
 */
const bullConcurrency = 500;

async function bullmq(): Promise<number> {
  await pingRedis();
  // A fresh queue each run, so no earlier run's jobs or counters are in the way.
  const name = `cronplane-bench-${randomUUID()}`;
  const queue = new Queue(name, { connection: redis });
  // BullMQ's docs (Workers: Concurrency) give one worker a high concurrency factor for
  // asynchronous work: the worker keeps that many jobs in flight, and each completion fetches
  // the next job in the same Redis call. A no-op needs no sandboxed processor or second process.
  // Auto-removal (Workers: Auto-removal of jobs): removeOnComplete { count: 0 } deletes a job as
  // soon as it completes, which the docs recommend to keep Redis's sets small (as graphile-worker
  // deletes completed jobs); removeOnFail keeps the last 5,000 failures, the docs' example
  // (no job fails here). Stalled checks and lock renewal stay on, as the docs advise.
  const worker = new BullWorker(name, () => Promise.resolve(), {
    connection: redis,
    concurrency: bullConcurrency,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 5000 },
  });
  let finished = 0;
  let allDone!: () => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    allDone = resolve;
    failed = reject;
  });
  done.catch(() => undefined); // awaited below; this keeps an early failure from going unhandled
  // Counted when BullMQ has moved the job to completed, not when the processor returns.
  worker.on('completed', () => {
    if (++finished === runs) allDone();
  });
  worker.on('failed', (_job, error) => failed(error));
  worker.on('error', failed);
  queue.on('error', failed);
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const started = performance.now();
    for (let offset = 0; offset < runs; offset += batch) {
      const jobs = [];
      for (let i = offset; i < Math.min(runs, offset + batch); i++) jobs.push({ name: 'noop', data: {} });
      await queue.addBulk(jobs);
    }
    await done;
    return (performance.now() - started) / 1000;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/**
 * Fails at once when Redis does not answer: BullMQ's connections retry for ever, and a BullMQ
 * queue that never connected does not close.
 */
async function pingRedis(): Promise<void> {
  const client = new Redis({
    ...redis,
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined); // connect() rejects with the same error
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${redis.host}:${redis.port}; BullMQ needs it`, {
      cause: error,
    });
  } finally {
    client.disconnect();
  }
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
  const systems = selectSystems<BenchSystem<number>>(
    [
      { name: 'cronplane, SQLite', measure: cronplaneSqlite },
      { name: 'cronplane, PostgreSQL', measure: () => withEmptyPostgres(cronplane) },
      {
        name: 'graphile-worker 0.18 (local queue, batched completion)',
        measure: () => withEmptyPostgres(graphileWorker),
      },
      { name: 'pg-boss 12 (batch 500, burst)', measure: () => withEmptyPostgres(pgBoss) },
      { name: `bullmq 6.7 (concurrency ${bullConcurrency}, removeOnComplete)`, measure: bullmq },
    ],
    only,
  );
  const without = dropIndexes.length === 0 ? '' : `; cronplane without ${dropIndexes.join(', ')}`;
  console.log(
    `dispatch: ${runs} no-op runs end to end per pass, ${repeat} interleaved rounds, cronplane with ${slots} slots; ${describeMachine()}${without}`,
  );
  console.log(`at start: ${describeLoadAverage()}`);
  const seconds = await runInterleaved(
    systems,
    repeat,
    (passSeconds) =>
      `${Math.round(runs / passSeconds).toLocaleString('en')} runs/s in ${passSeconds.toFixed(2)} s`,
  );
  console.log(`at end: ${describeLoadAverage()}`);
  const rates = systems.map((system) => ({
    name: system.name,
    values: (seconds.get(system.name) ?? []).map((passSeconds) => runs / passSeconds),
  }));
  printTable(
    medianSummaryTable([{ label: 'runs/s', figures: rates }], (rate) =>
      Math.round(rate).toLocaleString('en'),
    ),
  );
  console.log('');
  printTable(ratioTable(rates));
  const shortest = Math.min(...[...seconds.values()].flat());
  if (shortest < minimumPassSeconds) {
    console.log(
      `\nThe shortest pass took ${shortest.toFixed(2)} s, under ${minimumPassSeconds} s: one hiccup can move it; raise --runs.`,
    );
  }
}

await main();
