/**
 * The dashboard's history reads at scale: a store with 1,000,000 runs of 1,000 jobs over a year
 * (one job, `eval`, fanned out over 10 tenants with a metric per run), then each read timed as
 * Control calls it and its query plan printed, on SQLite and PostgreSQL.
 *
 *   node bench/history/history.bench.ts --runs 1000000 [--store sqlite|postgres] [--repeat 5]
 */
import { openStore } from '../../src/store/index.ts';
import type { NewRun, Store } from '../../src/store/index.ts';
import { createPostgresHarness } from '../../test/support/postgres.ts';
import { createSqliteHarness } from '../../test/support/sqlite.ts';
import type { StoreHarness } from '../../test/support/store-harness.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';

const totalRuns = numberFlag('runs', 1_000_000);
const repeat = numberFlag('repeat', 5);
const storeFlag = stringFlag('store', 'both');
const jobs = 1000;
const day = 86_400_000;
const start = Date.UTC(2025, 0, 1);
/** Runs are spread evenly over a year. */
const stepMs = Math.floor((365 * day) / totalRuns);
const end = start + totalRuns * stepMs;

/** Run `index` of the year: every 50th is `eval`'s, for one of 10 tenants. */
function runAt(index: number): NewRun {
  const at = start + index * stepMs;
  const evalRun = index % 50 === 0;
  return {
    job: evalRun ? 'eval' : `job-${index % jobs}`,
    fanKey: evalRun ? `tenant-${Math.floor(index / 50) % 10}` : '',
    trigger: 'schedule',
    scheduledAt: at,
    queuedAt: at,
    status: 'skipped',
    reason: 'benchmark history',
  };
}

async function seed(store: Store, harness: StoreHarness, url: string): Promise<number> {
  const begin = performance.now();
  for (let first = 0; first < totalRuns; first += 5000) {
    const batch: NewRun[] = [];
    for (let index = first; index < Math.min(totalRuns, first + 5000); index++) batch.push(runAt(index));
    await store.insertRuns(batch);
  }
  // A mix of end statuses, and a number reported by each of eval's runs, written in bulk.
  await harness.query(
    url,
    `UPDATE runs SET status = CASE WHEN id % 10 = 0 THEN 'failed' WHEN id % 37 = 0 THEN 'timed_out' ELSE 'succeeded' END`,
  );
  await harness.query(
    url,
    `INSERT INTO run_metrics (run_id, job, fan_key, name, value, at)
       SELECT id, job, fan_key, 'agreement_rate', (id % 100) / 100.0, scheduled_at + 60000 FROM runs WHERE job = 'eval'`,
  );
  await harness.query(url, harness.dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  return (performance.now() - begin) / 1000;
}

interface Read {
  readonly name: string;
  readonly run: (store: Store) => Promise<unknown>;
  /** The statement's shape, for its plan. */
  readonly plan: string;
}

const lastMonth = end - 30 * day;
const reads: readonly Read[] = [
  {
    name: 'run counts, one job, 30 days by 1h',
    run: (store) => store.countRunsByBucket({ job: 'job-7', from: lastMonth, to: end, bucketMs: 3_600_000 }),
    plan: `SELECT (scheduled_at / 3600000) * 3600000 AS start, status, count(*) FROM runs WHERE scheduled_at >= ${lastMonth} AND scheduled_at < ${end} AND job = 'job-7' GROUP BY (scheduled_at / 3600000) * 3600000, status`,
  },
  {
    name: 'run counts, every job, 30 days by 1d',
    run: (store) => store.countRunsByBucket({ from: lastMonth, to: end, bucketMs: day }),
    plan: `SELECT (scheduled_at / ${day}) * ${day} AS start, status, count(*) FROM runs WHERE scheduled_at >= ${lastMonth} AND scheduled_at < ${end} GROUP BY (scheduled_at / ${day}) * ${day}, status`,
  },
  {
    name: 'run counts, every job, the year by 1d',
    run: (store) => store.countRunsByBucket({ from: start, to: end, bucketMs: day }),
    plan: `SELECT (scheduled_at / ${day}) * ${day} AS start, status, count(*) FROM runs WHERE scheduled_at >= ${start} AND scheduled_at < ${end} GROUP BY (scheduled_at / ${day}) * ${day}, status`,
  },
  {
    name: "eval's metrics and keys",
    run: (store) => store.listMetricSeries('eval'),
    plan: `SELECT name, fan_key, count(*), min(at), max(at) FROM run_metrics WHERE job = 'eval' GROUP BY name, fan_key`,
  },
  {
    name: 'one tenant, 30 days, as reported',
    run: (store) =>
      store.readMetricHistory({
        job: 'eval',
        name: 'agreement_rate',
        fanKey: 'tenant-3',
        from: lastMonth,
        to: end,
        maxPoints: 500,
      }),
    plan: `SELECT fan_key, at, value, run_id FROM run_metrics WHERE job = 'eval' AND name = 'agreement_rate' AND at >= ${lastMonth} AND at < ${end} AND fan_key = 'tenant-3' ORDER BY fan_key, at, run_id`,
  },
  {
    name: 'every tenant, the year, 500 points each',
    run: (store) =>
      store.readMetricHistory({ job: 'eval', name: 'agreement_rate', from: start, to: end, maxPoints: 500 }),
    plan: `SELECT fan_key, bucket, count(*), min(value), max(value), avg(value), max(CASE WHEN rank = 1 THEN value END) FROM (SELECT fan_key, value, run_id, (at / 63202000) * 63202000 AS bucket, ROW_NUMBER() OVER (PARTITION BY fan_key, at / 63202000 ORDER BY at DESC, run_id DESC) AS rank FROM run_metrics WHERE job = 'eval' AND name = 'agreement_rate' AND at >= ${start} AND at < ${end}) ranked GROUP BY fan_key, bucket`,
  },
];

async function measure(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const harness = dialect === 'sqlite' ? await createSqliteHarness() : await createPostgresHarness();
  const url = await harness.createEmptyDatabase();
  const store = await openStore(url);
  try {
    const seconds = await seed(store, harness, url);
    console.log(
      `\n## ${dialect}: ${totalRuns.toLocaleString('en')} runs seeded in ${seconds.toFixed(1)} s\n`,
    );
    const rows: (string | number)[][] = [['read', 'median ms', 'max ms']];
    for (const read of reads) {
      const times: number[] = [];
      for (let round = 0; round < repeat; round++) {
        const begin = performance.now();
        await read.run(store);
        times.push(performance.now() - begin);
      }
      times.sort((a, b) => a - b);
      rows.push([
        read.name,
        (times[Math.floor(times.length / 2)] ?? 0).toFixed(1),
        (times.at(-1) ?? 0).toFixed(1),
      ]);
    }
    printTable(rows);
    for (const read of reads) {
      const explain = dialect === 'sqlite' ? `EXPLAIN QUERY PLAN ${read.plan}` : `EXPLAIN ${read.plan}`;
      const plan = await harness.query<Record<string, unknown>>(url, explain);
      console.log(`\n${read.name}:`);
      for (const row of plan) console.log(`  ${String(row['detail'] ?? row['QUERY PLAN'])}`);
    }
  } finally {
    await store.release();
    await harness.close();
  }
}

console.log(describeMachine());
for (const dialect of storeFlag === 'both'
  ? (['sqlite', 'postgres'] as const)
  : [storeFlag as 'sqlite' | 'postgres']) {
  await measure(dialect);
}
