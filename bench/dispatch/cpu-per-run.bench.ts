/**
 * CPU per dispatched run on PostgreSQL: the server's (the sum of the benchmark database's
 * backends, read from /proc/<pid>/stat) and Node's (process.cpuUsage()), over a whole pass of N
 * no-op runs (insert, claim, run, finish), cronplane and graphile-worker alternating pass by pass.
 * On a shared machine wall-clock rates move with the load; CPU time per run moves much less, so
 * this is the figure to compare changes of the PostgreSQL store by (docs/store.md#throughput).
 *
 *   npm run bench:cpu -- --repeat 5 --runs 20000
 *   npm run bench:cpu -- --repeat 3 --only cronplane --setup-sql "DROP INDEX runs_job_key"
 *
 * The server must run on this machine (its processes' /proc entries are read).
 */
import pg from 'pg';
import { openStore } from '../../src/store/index.ts';
import { postgresTestUrl } from '../../test/support/postgres.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { medianSummaryTable } from '../support/median-summary-table.ts';
import { runInterleaved } from '../support/run-interleaved.ts';
import type { BenchSystem } from '../support/run-interleaved.ts';
import { selectSystems } from '../support/select-systems.ts';
import { prepareNoopDispatch } from './noop-dispatch.ts';
import { prepareGraphileDispatch } from './graphile-dispatch.ts';
import { backendCpuBetween, readBackendCpu } from '../support/postgres-backend-cpu.ts';

const runs = numberFlag('runs', 20_000);
const repeat = numberFlag('repeat', 5);
const only = stringFlag('only', '');
/**
 * `--setup-sql "..."` adds a third system, cronplane on a store given that SQL after its
 * migrations, to see what a change of layout would cost or save (e.g. `DROP INDEX
 * runs_scheduled`) measured alternately with the store as it is.
 */
const setupSql = stringFlag('setup-sql', '');
const batch = 1000;
/** cronplane's worker slots (`--slots`): 500 by default, the batch each peer takes (noop-dispatch.ts). */
const slots = numberFlag('slots', 500);

/** One pass's figures: µs of CPU per run on the server and in Node, and the wall-clock rate. */
interface PassCpu {
  readonly serverUs: number;
  readonly nodeUs: number;
  readonly runsPerSecond: number;
}

/** A system made ready on a database (migrated, worker started), then run once, then stopped. */
interface Prepared {
  readonly dispatch: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

async function measurePass(url: string, prepare: (url: string) => Promise<Prepared>): Promise<PassCpu> {
  const database = new URL(url).pathname.slice(1);
  const prepared = await prepare(url);
  try {
    const serverBefore = await readBackendCpu(postgresTestUrl, database);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    await prepared.dispatch();
    const seconds = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    const serverAfter = await readBackendCpu(postgresTestUrl, database);
    return {
      serverUs: (backendCpuBetween(serverBefore, serverAfter) * 1000) / runs,
      nodeUs: (node.user + node.system) / runs,
      runsPerSecond: runs / seconds,
    };
  } finally {
    await prepared.stop();
  }
}

async function cronplane(url: string, setup = ''): Promise<Prepared> {
  if (setup !== '') {
    await (await openStore(url)).release();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(setup);
    } finally {
      await client.end();
    }
  }
  const store = await openStore(url);
  const prepared = await prepareNoopDispatch(store, runs, batch, slots);
  return {
    dispatch: prepared.dispatch,
    stop: async () => {
      await prepared.stop();
      await store.release();
    },
  };
}

function graphileWorker(connectionString: string): Promise<Prepared> {
  return prepareGraphileDispatch(connectionString, runs, batch);
}

async function main(): Promise<void> {
  const systems = selectSystems<BenchSystem<PassCpu>>(
    [
      {
        name: 'cronplane, PostgreSQL',
        measure: () => withEmptyPostgres((url) => measurePass(url, cronplane)),
      },
      ...(setupSql === ''
        ? []
        : [
            {
              name: 'cronplane, PostgreSQL, --setup-sql',
              measure: () => withEmptyPostgres((url) => measurePass(url, (u) => cronplane(u, setupSql))),
            },
          ]),
      {
        name: 'graphile-worker 0.18 (local queue, batched completion)',
        measure: () => withEmptyPostgres((url) => measurePass(url, graphileWorker)),
      },
    ],
    only,
  );
  const setup = setupSql === '' ? '' : `; --setup-sql: ${setupSql}`;
  console.log(
    `cpu per run: ${runs} no-op runs per pass, ${repeat} interleaved rounds, cronplane with ${slots} slots; ${describeMachine()}${setup}`,
  );
  console.log(`at start: ${describeLoadAverage()}`);
  const passes = await runInterleaved(
    systems,
    repeat,
    (pass) =>
      `server ${pass.serverUs.toFixed(1)} µs/run, node ${pass.nodeUs.toFixed(1)} µs/run, ` +
      `${Math.round(pass.runsPerSecond).toLocaleString('en')} runs/s`,
  );
  console.log(`at end: ${describeLoadAverage()}`);
  const figure = (label: string, pick: (pass: PassCpu) => number) => ({
    label,
    figures: systems.map((system) => ({
      name: system.name,
      values: (passes.get(system.name) ?? []).map(pick),
    })),
  });
  printTable(
    medianSummaryTable(
      [
        figure('server µs/run', (pass) => pass.serverUs),
        figure('node µs/run', (pass) => pass.nodeUs),
        figure('runs/s', (pass) => pass.runsPerSecond),
      ],
      (value) => (value >= 1000 ? Math.round(value).toLocaleString('en') : value.toFixed(1)),
    ),
  );
}

await main();
