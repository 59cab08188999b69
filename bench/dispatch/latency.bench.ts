/**
 * Latency: an idle worker; jobs added one at a time at a steady rate (100/s by default); measures
 * from the moment before the add call to the moment the handler is entered, p50/p99/max, on
 * cronplane's two stores (each run through the engine's trigger: a durable insert, with which the
 * lone idle worker claims it in one transaction, `Worker.queueRuns`) and on the peers that wake an
 * idle worker on a new job, each at its documented low-latency settings:
 *
 * - graphile-worker 0.18: its default wake-up, LISTEN/NOTIFY on every inserted job (no local
 *   queue, which batches fetches for throughput); `addJob` one at a time.
 * - pg-boss 12: `useListenNotify` with a `notify: true` queue (a NOTIFY per created job wakes the
 *   worker), the polling intervals at their allowed minimum of 0.5 s as the backstop; two fetch
 *   loops taking up to 10 jobs each and fetching again at once while a fetch comes back full
 *   (with one loop taking one job a NOTIFY that arrives mid-fetch is lost and a backlog drains at
 *   two jobs a second, one per poll); `send` one at a time.
 * - BullMQ 6.7: a `Worker`, which waits on Redis with a blocking call; `Queue.add` one at a time.
 *
 * Beside them, the floor under any system that records a job durably in PostgreSQL before it
 * starts it: one row of one column inserted with autocommit on one connection (a prepared
 * statement), timed from the call to the moment its commit is answered, nothing started. It is
 * the machine's (the server's WAL flush, the two cores' scheduling), and cronplane's p99 on
 * PostgreSQL can be read against it in the same rounds (`÷ floor`).
 *
 * The systems are measured interleaved, `--repeat` rounds (5 by default) of `--runs` jobs each
 * (1,000 by default: 10 s at 100/s), each pass on a fresh database or queue. Prints one line per
 * pass, then per system the median of the passes' p50, p99 and max with their min–max, the ratios
 * of cronplane's medians to each peer's (lower is better) and the load average at start and end.
 *
 *   npm run bench:latency -- --repeat 5 --runs 1000 --rate 100
 *   npm run bench:latency -- --repeat 5 --only cronplane,graphile
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker as BullWorker } from 'bullmq';
import pg from 'pg';
import { Logger, makeWorkerUtils, run as runGraphileWorker } from 'graphile-worker';
import { PgBoss } from 'pg-boss';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { openStore } from '../../src/store/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, percentile, printTable, stringFlag } from '../support/machine.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { medianSummaryTable } from '../support/median-summary-table.ts';
import { ratioTable } from '../support/ratio-table.ts';
import { runInterleaved } from '../support/run-interleaved.ts';
import type { BenchSystem } from '../support/run-interleaved.ts';
import { selectSystems } from '../support/select-systems.ts';

const runs = numberFlag('runs', 1000);
const rate = numberFlag('rate', 100);
const repeat = numberFlag('repeat', 5);
const only = stringFlag('only', '');
/** How long a pass waits for its last handler after its last add before it gives up. */
const settleMs = 30_000;

/** One pass's system under test: adds job number `index` and says by which key its handler will report it. */
interface LatencyTarget {
  readonly add: (index: number) => Promise<number | undefined>;
  readonly release: () => Promise<void>;
}

/** Starts a system with an idle worker whose handler calls `started(key)` on entry. */
type OpenTarget = (started: (key: number) => void) => Promise<LatencyTarget>;

/** The latencies of one pass (ms), one per job: add call to handler entry. */
async function measure(open: OpenTarget): Promise<number[]> {
  const startedAt = new Map<number, number>();
  const target = await open((key) => {
    if (!startedAt.has(key)) startedAt.set(key, performance.now());
  });
  const queuedAt = new Map<number, number>();
  try {
    const interval = 1000 / rate;
    const begin = performance.now();
    for (let i = 0; i < runs; i++) {
      const wait = begin + i * interval - performance.now();
      if (wait > 0) await sleep(wait);
      const before = performance.now();
      const key = await target.add(i);
      if (key !== undefined) queuedAt.set(key, before);
    }
    const deadline = performance.now() + settleMs;
    while (startedAt.size < queuedAt.size && performance.now() < deadline) await sleep(10);
    if (startedAt.size < queuedAt.size) {
      throw new Error(
        `${queuedAt.size - startedAt.size} of ${queuedAt.size} jobs had not started ${settleMs} ms after the last add`,
      );
    }
  } finally {
    await target.release();
  }
  return [...queuedAt].map(([key, queued]) => (startedAt.get(key) ?? Number.NaN) - queued);
}

function cronplane(storeUrl: string): OpenTarget {
  return async (started) => {
    const config = resolveConfig(
      loadJobFileText('version: 1\njobs:\n  noop: { run: "true" }\n', 'bench.yaml', { kinds: builtinKinds }),
    );
    const store = await openStore(storeUrl);
    const engine = new Engine({
      store,
      clock: systemClock(),
      node: 'bench',
      logger: createLogger({ level: 'silent' }),
      schedule: false,
      execute: ({ run }) => {
        started(run.id);
        return Promise.resolve({ outcome: 'success' as const });
      },
    });
    await engine.start(config);
    return {
      add: async () => (await engine.trigger({ job: 'noop', trigger: 'api' }))[0]?.id,
      release: async () => {
        await engine.drain(1000);
        await store.release();
      },
    };
  };
}

async function cronplaneSqlite(): Promise<number[]> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-latency-'));
  try {
    return await measure(cronplane(`sqlite:${path.join(folder, 'latency.db')}`));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function graphileWorker(connectionString: string): OpenTarget {
  return async (started) => {
    const utils = await makeWorkerUtils({ connectionString });
    await utils.migrate();
    // No local queue and no poll tuning: an idle worker pool LISTENs for jobs:insert and fetches
    // the moment a job is inserted (docs: "Performance", "low latency" via LISTEN/NOTIFY).
    const runner = await runGraphileWorker({
      connectionString,
      concurrency: 4,
      noHandleSignals: true,
      logger: new Logger(() => () => undefined),
      taskList: {
        noop: (payload) => {
          started((payload as { index: number }).index);
          return Promise.resolve();
        },
      },
    });
    return {
      add: async (index) => {
        await utils.addJob('noop', { index });
        return index;
      },
      release: async () => {
        await runner.stop();
        await utils.release();
      },
    };
  };
}

function pgBoss(connectionString: string): OpenTarget {
  return async (started) => {
    const boss = new PgBoss({ connectionString, supervise: false, schedule: false, useListenNotify: true });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue('noop', { notify: true });
    await boss.work<{ index: number }>(
      'noop',
      {
        batchSize: 10,
        burstWhenBatchFull: true,
        localConcurrency: 2,
        pollingIntervalSeconds: 0.5,
        notifyPollingIntervalSeconds: 0.5,
      },
      (jobs) => {
        for (const job of jobs) started(job.data.index);
        return Promise.resolve();
      },
    );
    return {
      add: async (index) => {
        await boss.send('noop', { index });
        return index;
      },
      release: () => boss.stop({ graceful: false }),
    };
  };
}

/** A one-column row inserted with autocommit; its commit answered counts as its start. */
function postgresFloor(connectionString: string): OpenTarget {
  return async (started) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    await client.query('CREATE TABLE floor (id bigserial PRIMARY KEY, value text NOT NULL)');
    return {
      add: async (index) => {
        await client.query({
          name: 'floor_insert',
          text: 'INSERT INTO floor (value) VALUES ($1)',
          values: ['x'],
        });
        started(index);
        return index;
      },
      release: () => client.end(),
    };
  };
}

/** The Redis that BullMQ uses: the local server, no password. */
const redis = { host: '127.0.0.1', port: 6379 };

const bullmq: OpenTarget = async (started) => {
  // A fresh queue each pass, so no earlier pass's jobs or counters are in the way.
  const name = `cronplane-latency-${randomUUID()}`;
  const queue = new Queue(name, { connection: redis });
  const worker = new BullWorker<{ index: number }>(
    name,
    (job) => {
      started(job.data.index);
      return Promise.resolve();
    },
    { connection: redis, concurrency: 4, removeOnComplete: { count: 0 } },
  );
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
  return {
    add: async (index) => {
      await queue.add('noop', { index });
      return index;
    },
    release: async () => {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    },
  };
};

/** A pass's figures (ms). */
interface PassLatency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function passLatency(latencies: readonly number[]): PassLatency {
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) };
}

async function main(): Promise<void> {
  const systems = selectSystems<BenchSystem<PassLatency>>(
    [
      { name: 'cronplane, SQLite', measure: async () => passLatency(await cronplaneSqlite()) },
      {
        name: 'cronplane, PostgreSQL',
        measure: async () => passLatency(await withEmptyPostgres((url) => measure(cronplane(url)))),
      },
      {
        name: 'graphile-worker 0.18 (LISTEN/NOTIFY)',
        measure: async () => passLatency(await withEmptyPostgres((url) => measure(graphileWorker(url)))),
      },
      {
        name: 'pg-boss 12 (LISTEN/NOTIFY, poll 0.5 s)',
        measure: async () => passLatency(await withEmptyPostgres((url) => measure(pgBoss(url)))),
      },
      { name: 'bullmq 6.7 (blocking fetch)', measure: async () => passLatency(await measure(bullmq)) },
      {
        name: 'floor (PostgreSQL: a one-row insert and its commit, nothing started)',
        measure: async () => passLatency(await withEmptyPostgres((url) => measure(postgresFloor(url)))),
      },
    ],
    only,
  );
  console.log(
    `latency: ${runs} jobs added one at a time at ${rate}/s per pass, add to handler entry, ${repeat} interleaved rounds; ${describeMachine()}`,
  );
  console.log(`at start: ${describeLoadAverage()}`);
  const passes = await runInterleaved(
    systems,
    repeat,
    ({ p50, p99, max }) => `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(2)} ms`,
  );
  console.log(`at end: ${describeLoadAverage()}`);
  const figures = (pick: (pass: PassLatency) => number) =>
    systems.map((system) => ({ name: system.name, values: (passes.get(system.name) ?? []).map(pick) }));
  printTable(
    medianSummaryTable(
      [
        { label: 'p50 ms', figures: figures((pass) => pass.p50) },
        { label: 'p99 ms', figures: figures((pass) => pass.p99) },
        { label: 'max ms', figures: figures((pass) => pass.max) },
      ],
      (ms) => ms.toFixed(2),
    ),
  );
  for (const [label, pick] of [
    ['p50', (pass: PassLatency) => pass.p50],
    ['p99', (pass: PassLatency) => pass.p99],
  ] as const) {
    console.log('');
    printTable(ratioTable(figures(pick), `${label}, ratio of medians (lower is better)`));
  }
}

await main();
