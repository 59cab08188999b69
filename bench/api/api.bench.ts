/**
 * HTTP API load check: a real daemon (store, engine, API) on loopback with 1,000,000 runs in its
 * store, and autocannon in a separate process for a bounded time per scenario: listing runs
 * (first page, one job's, a deep page by cursor) and triggering a job (each trigger durably
 * queues a run, which the daemon's worker then executes: a no-op module function).
 *
 * Each scenario prints the daemon's CPU time per request under load (this process's
 * `process.cpuUsage`: the daemon runs here, autocannon in a child) and, for listings, the share
 * answered from a page the API kept (`RunPageCache`: the store had not changed since). With
 * `--inject N`, each listing is also sent N times in-process (`fastify.inject`, no sockets) and
 * its CPU time per request printed. Both are costs the load generator does not share, so
 * before/after comparisons hold on a busy machine.
 *
 *   node bench/api/api.bench.ts --runs 1000000 --duration 10 --connections 20 [--store sqlite|postgres] [--inject 800]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Daemon } from '../../src/daemon/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { NewRun } from '../../src/store/index.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, printTable } from '../support/machine.ts';

const totalRuns = numberFlag('runs', 1_000_000);
const duration = numberFlag('duration', 10);
const connections = numberFlag('connections', 20);
const injected = numberFlag('inject', 0);
const storeFlag = process.argv[process.argv.indexOf('--store') + 1];
const stores = process.argv.includes('--store') ? [storeFlag] : ['sqlite', 'postgres'];
const token = 'bench-bootstrap-token-0123456789abcdef';
const jobs = 10;
const autocannon = path.resolve(import.meta.dirname, '../../node_modules/autocannon/autocannon.js');
const execFileAsync = promisify(execFile);

interface Load {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

/** Fills the store with finished (skipped) runs, so the worker leaves them alone. */
async function seed(storeUrl: string): Promise<number> {
  const store = await openStore(storeUrl);
  const begin = performance.now();
  const at = Date.UTC(2026, 0, 1);
  try {
    for (let start = 0; start < totalRuns; start += 5000) {
      const batch: NewRun[] = [];
      for (let index = start; index < Math.min(totalRuns, start + 5000); index++) {
        batch.push({
          job: `job-${index % jobs}`,
          trigger: index % 7 === 0 ? 'api' : 'schedule',
          scheduledAt: at + index * 1000,
          queuedAt: at + index * 1000,
          status: 'skipped',
          reason: 'benchmark history',
        });
      }
      await store.insertRuns(batch);
    }
  } finally {
    await store.release();
  }
  return (performance.now() - begin) / 1000;
}

async function load(url: string, extra: readonly string[] = []): Promise<Load> {
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      autocannon,
      '-j',
      '-c',
      String(connections),
      '-d',
      String(duration),
      '-H',
      `authorization=Bearer ${token}`,
      ...extra,
      url,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Load;
}

/** The daemon's CPU time (user + system) per request, sent in-process after 200 to warm up. */
async function cpuPerRequest(daemon: Daemon, url: string): Promise<number> {
  const app = daemon.server?.app;
  if (app === undefined) throw new Error('the daemon has no API server');
  const send = async (): Promise<void> => {
    const answer = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    if (answer.statusCode !== 200) throw new Error(`${url}: ${answer.statusCode} ${answer.body}`);
  };
  for (let index = 0; index < 200; index++) await send();
  const begin = process.cpuUsage();
  for (let index = 0; index < injected; index++) await send();
  const used = process.cpuUsage(begin);
  return Math.round((used.user + used.system) / injected);
}

async function measure(storeName: string, storeUrl: string): Promise<(string | number)[][]> {
  console.log(`${storeName}: inserting ${totalRuns.toLocaleString('en')} runs...`);
  const seconds = await seed(storeUrl);
  console.log(`${storeName}: inserted in ${seconds.toFixed(1)} s`);
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-api-bench-'));
  const configFile = path.join(folder, 'cronplane.yaml');
  const noop = path.resolve(import.meta.dirname, '../dispatch/noop-job.ts');
  writeFileSync(
    configFile,
    `version: 1\njobs:\n${Array.from({ length: jobs }, (_, index) => `  job-${index}: { run: 'true' }\n`).join('')}` +
      `  noop: { module: { path: ${JSON.stringify(noop)} }, concurrency: allow }\n`,
  );
  const daemon = await Daemon.start({
    configFile,
    env: { CRONPLANE_TOKEN: token },
    storeUrl,
    logger: createLogger({ level: 'warn' }),
    node: 'bench',
    listen: '127.0.0.1:0',
    apiRateLimit: { max: 100_000_000, windowMs: 60_000 },
  });
  try {
    const base = daemon.server?.url ?? '';
    const newest = (await daemon.store.listRuns({ limit: 1 })).runs[0]?.id ?? 0;
    const scenarios: [string, string, readonly string[]][] = [
      ['GET /api/runs?limit=50 (newest page)', `${base}/api/runs?limit=50`, []],
      ['GET /api/runs?job=job-3&limit=50', `${base}/api/runs?job=job-3&limit=50`, []],
      [
        'GET /api/runs?limit=50&cursor=<middle>',
        `${base}/api/runs?limit=50&cursor=${Math.floor(newest / 2)}`,
        [],
      ],
      ['GET /api/runs?trigger=api&limit=50', `${base}/api/runs?trigger=api&limit=50`, []],
      [
        'POST /api/jobs/noop/trigger',
        `${base}/api/jobs/noop/trigger`,
        ['-m', 'POST', '-H', 'content-type=application/json', '-b', '{}'],
      ],
    ];
    const rows: (string | number)[][] = [];
    for (const [name, url, extra] of scenarios) {
      const cpu =
        injected > 0 && extra.length === 0 ? await cpuPerRequest(daemon, url.slice(base.length)) : '';
      const pages = daemon.server?.context.runPages;
      const kept = pages?.counts ?? { hits: 0, misses: 0 };
      const daemonCpu = process.cpuUsage();
      const result = await load(url, extra);
      const used = process.cpuUsage(daemonCpu);
      const after = pages?.counts ?? kept;
      const answered = after.hits - kept.hits + after.misses - kept.misses;
      const keptShare =
        extra.length > 0 || answered === 0
          ? ''
          : `${Math.round((100 * (after.hits - kept.hits)) / answered)}%`;
      const requests = result.requests.average * duration;
      const cpuUnderLoad = requests > 0 ? Math.round((used.user + used.system) / requests) : '';
      const failed = result.non2xx + result.errors + result.timeouts;
      rows.push([
        storeName,
        name,
        Math.round(result.requests.average).toLocaleString('en'),
        result.latency.p50,
        result.latency.p99,
        failed,
        cpuUnderLoad,
        keptShare,
        ...(injected > 0 ? [cpu] : []),
      ]);
      console.log(
        `${storeName}: ${name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ` +
          `daemon ${cpuUnderLoad} µs CPU per request` +
          (keptShare === '' ? '' : `, ${keptShare} answered from a kept page`) +
          (cpu === '' ? '' : `, ${cpu} µs CPU per request in-process`),
      );
    }
    return rows;
  } finally {
    await daemon.stop(5000);
    rmSync(folder, { recursive: true, force: true });
  }
}

console.log(
  `api: ${totalRuns.toLocaleString('en')} runs in the store, autocannon -c ${connections} -d ${duration}; ${describeMachine()}; load ${loadavg()[0]?.toFixed(1)}`,
);
const rows: (string | number)[][] = [
  [
    'store',
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'daemon CPU µs/req',
    'kept pages',
    ...(injected > 0 ? ['CPU µs/req in-process'] : []),
  ],
];
for (const store of stores) {
  if (store === 'sqlite') {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-api-bench-store-'));
    try {
      rows.push(...(await measure('SQLite', `sqlite:${path.join(folder, 'bench.db')}`)));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  } else if (store === 'postgres') {
    rows.push(...(await withEmptyPostgres((url) => measure('PostgreSQL', url))));
  } else {
    throw new Error(`--store ${String(store)}: expected sqlite or postgres`);
  }
}
printTable(rows);
console.log(`load average at the end: ${loadavg()[0]?.toFixed(1)}`);
