/**
 * The dashboard at scale: a store seeded with 1,000 jobs and 1,000,000 runs over 30 days
 * (dashboard-store.ts), a real daemon serving the built dashboard on it, and Chromium signed in
 * once. For the overview (`/`) and a job's page (`/jobs/<name>`) each of `--repeat` rounds loads
 * the page in a fresh browser context (nothing cached: "first") and again in the same one
 * ("warm"), timed from navigation start to usable (page-timing.ts). Then the API calls these pages
 * make are timed directly (a request on its own connection, as the browser's first one is), with
 * their answer's size. On SQLite and PostgreSQL.
 *
 *   npm run bench:dashboard -- [--store sqlite|postgres|both] [--jobs 1000] [--runs 1000000]
 *     [--days 30] [--repeat 5] [--job job-0011] [--usable-timeout 60]
 *
 * A page whose marker does not appear within 10 s (not built yet) is reported as not measured; one
 * that is not usable within `--usable-timeout` seconds is reported with what it showed by then,
 * and not loaded again.
 */
import { rmSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { bootstrapToken, startApiDaemon } from '../../test/api/api-harness.ts';
import type { ApiDaemon } from '../../test/api/api-harness.ts';
import { createPostgresHarness } from '../../test/support/postgres.ts';
import { createSqliteHarness } from '../../test/support/sqlite.ts';
import type { StoreHarness } from '../../test/support/store-harness.ts';
import { launchChromium, signIn, watchedPage } from '../../test/web/browser-rig.ts';
import { buildDashboard } from '../../test/web/build-dashboard.ts';
import { describeMachine, numberFlag, percentile, printTable, stringFlag } from '../support/machine.ts';
import { dashboardJobFile, seedDashboardStore } from './dashboard-store.ts';
import type { DashboardScale } from './dashboard-store.ts';
import {
  jobPageConditions,
  markerTimeoutMs,
  NotUsable,
  overviewConditions,
  resourceBufferScript,
  timePageLoad,
} from './page-timing.ts';
import type { PageConditions, PageLoad } from './page-timing.ts';

const scale: DashboardScale = {
  jobs: numberFlag('jobs', 1000),
  runs: numberFlag('runs', 1_000_000),
  days: numberFlag('days', 30),
  now: Date.now(),
};
const repeat = numberFlag('repeat', 5);
const storeFlag = stringFlag('store', 'both');
/** A job fanned out over five tenants with two metrics (job number 10). */
const job = stringFlag('job', 'job-0011');
const usableTimeoutMs = numberFlag('usable-timeout', 60) * 1000;
const stores = { sqlite: createSqliteHarness, postgres: createPostgresHarness } as const;
type StoreName = keyof typeof stores;

function selectedStores(): StoreName[] {
  if (storeFlag === 'both') return ['sqlite', 'postgres'];
  if (storeFlag === 'sqlite' || storeFlag === 'postgres') return [storeFlag];
  throw new Error(`--store must be sqlite, postgres or both, not ${storeFlag}`);
}

const ms = (value: number): string => value.toFixed(0);
const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** Loads a page `repeat` times first and warm; prints a row per kind of load, or "not measured". */
async function measurePage(
  browser: Browser,
  api: ApiDaemon,
  signedIn: BrowserContext,
  label: string,
  path: string,
  conditions: PageConditions,
  rows: (string | number)[][],
): Promise<void> {
  const loads: Record<'first' | 'warm', PageLoad[]> = { first: [], warm: [] };
  const problems: string[] = [];
  for (let round = 0; round < repeat; round++) {
    const context = await browser.newContext();
    try {
      await context.addCookies(await signedIn.cookies());
      await context.addInitScript(resourceBufferScript);
      const page = await watchedPage(context, problems);
      for (const kind of ['first', 'warm'] as const) {
        let load: PageLoad | undefined;
        try {
          load = await timePageLoad(page, `${api.url}${path}`, conditions, usableTimeoutMs);
        } catch (error) {
          if (!(error instanceof NotUsable)) throw error;
          // Further rounds would take as long and say no more.
          console.log(
            `not usable: ${label} (${path}), ${kind} load, ${error.afterMs / 1000} s after navigation start it showed ${error.shown}`,
          );
          rows.push([label, kind, `> ${error.afterMs}`, '', '', '', '', '', '', '', error.shown]);
          return;
        }
        if (load === undefined) {
          console.log(
            `not measured: ${label} (${path}): its marker did not appear within ${markerTimeoutMs / 1000} s`,
          );
          return;
        }
        loads[kind].push(load);
      }
    } finally {
      await context.close();
    }
  }
  for (const kind of ['first', 'warm'] as const) {
    const list = loads[kind];
    const usable = list.map((load) => load.usableMs);
    const median = (pick: (load: PageLoad) => number) => percentile(list.map(pick), 50);
    rows.push([
      label,
      kind,
      ms(percentile(usable, 50)),
      ms(percentile(usable, 95)),
      ms(median((load) => load.markerMs)),
      median((load) => load.requests),
      median((load) => load.apiRequests),
      kb(median((load) => load.transferBytes)),
      ms(median((load) => load.apiTotalMs)),
      ms(median((load) => load.apiMaxMs)),
      list[0]?.shown ?? '',
    ]);
  }
  if (problems.length > 0)
    console.log(`${label}: ${problems.length} console problem(s), first: ${problems[0]}`);
}

/** The API calls of the overview and of a job's page, each timed `times` times directly. */
async function timeApiCalls(api: ApiDaemon, rows: (string | number)[][]): Promise<void> {
  const jobPath = encodeURIComponent(job);
  const latest = await api.request('GET', `/api/runs?job=${jobPath}&limit=1`);
  const middle = Math.round((latest.body.runs[0]?.id ?? scale.runs) / 2);
  const metrics = await api.request('GET', `/api/jobs/${jobPath}/metrics`);
  const metric: string | undefined = metrics.body.metrics?.[0]?.name;
  const key: string | undefined = metrics.body.metrics?.[0]?.keys?.[1]?.key;
  const calls: [string, string][] = [
    ['overview', '/api/jobs?limit=1000'],
    ['overview', `/api/runs?job=${jobPath}&limit=50`],
    ['overview', '/api/runs/stats'],
    ['job', `/api/jobs/${jobPath}`],
    ['job', `/api/runs?job=${jobPath}&limit=50`],
    ['job', `/api/runs?job=${jobPath}&limit=50&cursor=${middle}`],
    ['job', `/api/runs/stats?job=${jobPath}`],
    ['job', `/api/jobs/${jobPath}/metrics`],
  ];
  if (metric !== undefined) {
    calls.push(['job', `/api/jobs/${jobPath}/metrics/history?metric=${metric}`]);
    if (key !== undefined)
      calls.push([
        'job',
        `/api/jobs/${jobPath}/metrics/history?metric=${metric}&key=${encodeURIComponent(key)}`,
      ]);
  }
  const times = Math.max(5, repeat * 2);
  for (const [page, target] of calls) {
    const durations: number[] = [];
    let bytes = 0;
    for (let round = 0; round < times; round++) {
      const begin = performance.now();
      const answer = await api.request('GET', target);
      durations.push(performance.now() - begin);
      if (answer.status !== 200) throw new Error(`${target} answered ${answer.status}: ${answer.text}`);
      bytes = Buffer.byteLength(answer.text);
    }
    rows.push([
      page,
      `\`GET ${target}\``,
      percentile(durations, 50).toFixed(1),
      percentile(durations, 95).toFixed(1),
      kb(bytes),
    ]);
  }
  // What the overview does today: one strip request per job, one after the other.
  const jobs = (await api.request('GET', '/api/jobs?limit=1000')).body.jobs as { name: string }[];
  const begin = performance.now();
  for (const { name } of jobs) await api.request('GET', `/api/runs?job=${encodeURIComponent(name)}&limit=50`);
  const total = performance.now() - begin;
  rows.push([
    'overview',
    `${jobs.length} × \`GET /api/runs?job=…&limit=50\`, one after the other (total)`,
    ms(total),
    '',
    '',
  ]);
}

async function measureStore(storeName: StoreName, browser: Browser, dashboardDir: string): Promise<void> {
  const harness: StoreHarness = await stores[storeName]();
  let api: ApiDaemon | undefined;
  try {
    const url = await harness.createEmptyDatabase();
    const seeded = await seedDashboardStore(url, scale, (done) => {
      if (done % 200_000 === 0)
        process.stdout.write(`  ${storeName}: ${done.toLocaleString('en')} runs seeded\n`);
    });
    const version =
      storeName === 'postgres'
        ? `, PostgreSQL ${(await harness.query<{ server_version: string }>(url, 'SHOW server_version'))[0]?.server_version}`
        : '';
    console.log(
      `\n## ${storeName}${version}: ${scale.jobs.toLocaleString('en')} jobs, ${scale.runs.toLocaleString('en')} runs ` +
        `(${seeded.transitions.toLocaleString('en')} transitions, ${seeded.metrics.toLocaleString('en')} metric values) ` +
        `seeded in ${seeded.runsSeconds.toFixed(1)} s, analysed in ${seeded.analyseSeconds.toFixed(1)} s\n`,
    );
    const started = performance.now();
    api = await startApiDaemon({
      storeUrl: url,
      yaml: dashboardJobFile(scale),
      dashboardDir,
      ssePollMs: 200,
      runLeaseMs: 60_000,
      // The overview asks once per job; the default of 6,000 a minute per token would cut the rounds.
      apiRateLimit: { max: 100_000_000, windowMs: 60_000 },
    });
    console.log(`daemon started in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const signedIn = await browser.newContext();
    try {
      await signIn(await signedIn.newPage(), api.url, bootstrapToken);
      const rows: (string | number)[][] = [
        [
          'page',
          'load',
          'usable median ms',
          'usable p95 ms',
          'first row ms',
          'requests',
          'API requests',
          'transfer KB',
          'API time, sum ms',
          'API time, max ms',
          'shown',
        ],
      ];
      await measurePage(browser, api, signedIn, 'overview', '/', overviewConditions, rows);
      await measurePage(browser, api, signedIn, 'job page', `/jobs/${job}`, jobPageConditions(job), rows);
      console.log(
        `\nIn Chromium, ${repeat} rounds (p95 by nearest rank: with fewer than 20 rounds, the slowest):\n`,
      );
      printTable(rows);
    } finally {
      await signedIn.close();
    }
    const apiRows: (string | number)[][] = [['page', 'call', 'median ms', 'p95 ms', 'answer KB']];
    await timeApiCalls(api, apiRows);
    console.log('\nAPI calls timed directly (a request on its own loopback connection):\n');
    printTable(apiRows);
  } finally {
    await api?.stop();
    await harness.close();
  }
}

console.log(`dashboard: ${describeMachine()}`);
// Checked before the (long) build and seeding.
const selected = selectedStores();
const dashboardDir = buildDashboard();
const browser = await launchChromium();
try {
  for (const storeName of selected) await measureStore(storeName, browser, dashboardDir);
} finally {
  await browser.close();
  rmSync(dashboardDir, { recursive: true, force: true });
}
