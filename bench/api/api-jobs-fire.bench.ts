/**
 * API-defined jobs fire on time: a daemon (SQLite by default, or `--store postgres`: a scratch
 * database) takes N daily schedules through bulk `PUT /api/jobs`, each at one second of a window
 * of `--seconds` that starts `--lead` seconds after the writes (N / seconds fires a second), each
 * an `http` job that calls a receiver on loopback with its name. The receiver notes when each
 * call came. Prints how many jobs fired once, twice or never, and three lags behind each job's
 * scheduled second (p50/p99/max): its fire recorded (`queued_at`), its run started (`started_at`,
 * which waits for one of `--slots`) and its call received.
 *
 *   node bench/api/api-jobs-fire.bench.ts --schedules 100000 --seconds 200 --lead 30
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiUrlOf, benchToken, startApiBenchDaemon } from '../support/api-bench-daemon.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { describeMachine, numberFlag, percentile, printTable, stringFlag } from '../support/machine.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { putApiJobs } from '../support/put-api-jobs.ts';

const schedules = numberFlag('schedules', 100_000);
const seconds = numberFlag('seconds', 200);
const lead = numberFlag('lead', 30);
const batch = numberFlag('batch', 1000);
/** The daemon's run slots (its default, 8, unless given): calls at one second wait for a slot. */
const slots = numberFlag('slots', 8);

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-api-fire-'));
const configFile = path.join(folder, 'cronplane.yaml');
writeFileSync(configFile, 'version: 1\njobs: {}\n');

const twoDigits = (value: number): string => String(value).padStart(2, '0');
/** `*-*-* HH:MM:SS` in UTC for an instant on a whole second. */
const dailyAt = (at: number): string => {
  const date = new Date(at);
  return `*-*-* ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
};

const spread = (sorted: readonly number[]): string =>
  [percentile(sorted, 50), percentile(sorted, 99), sorted.at(-1) ?? Number.NaN]
    .map((value) => value.toFixed(0))
    .join(' / ');

async function measure(storeUrl: string): Promise<void> {
  const arrivals = new Map<string, number[]>();
  const receiver = createServer((request, response) => {
    const name = (request.url ?? '').slice('/hit/'.length);
    const seen = arrivals.get(name);
    if (seen === undefined) arrivals.set(name, [Date.now()]);
    else seen.push(Date.now());
    response.writeHead(204).end();
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const port = (receiver.address() as AddressInfo).port;
  const daemon = await startApiBenchDaemon({ configFile, storeUrl, node: 'bench', slots });
  const due = new Map<string, number>();
  try {
    const url = apiUrlOf(daemon);
    // The window starts on a whole second `lead` seconds from now (the writes take part of it).
    const windowStart = Math.ceil(Date.now() / 1000) * 1000 + lead * 1000;
    const writeStarted = performance.now();
    for (let first = 0; first < schedules; first += batch) {
      const body = Array.from({ length: Math.min(batch, schedules - first) }, (_, k) => {
        const i = first + k;
        const at = windowStart + (i % seconds) * 1000;
        due.set(`p${i}`, at);
        return {
          name: `p${i}`,
          entry: { schedule: dailyAt(at), http: { url: `http://127.0.0.1:${port}/hit/p${i}` } },
        };
      });
      await putApiJobs(url, benchToken, body);
    }
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    if (Date.now() > windowStart)
      throw new Error(`the writes took ${writeSeconds.toFixed(1)} s, past the window's start: raise --lead`);
    // The window, then until every job was heard from or 60 s passed.
    const windowEnd = windowStart + seconds * 1000;
    while (Date.now() < windowEnd + 60_000 && arrivals.size < schedules) await sleep(1000);
    await sleep(2000);
    const lags: number[] = [];
    let twice = 0;
    for (const [name, at] of due) {
      const seen = arrivals.get(name);
      if (seen === undefined) continue;
      if (seen.length > 1) twice++;
      lags.push((seen[0] ?? at) - at);
    }
    lags.sort((a, b) => a - b);
    // The store's record: every scheduled run, and how many ended in success.
    let recorded = 0;
    let succeeded = 0;
    const recordLags: number[] = [];
    const startLags: number[] = [];
    for (let cursor: number | null = null; ;) {
      const page = await daemon.store.listRuns({ trigger: 'schedule', limit: 1000, cursor });
      recorded += page.runs.length;
      for (const run of page.runs) {
        if (run.status === 'succeeded') succeeded++;
        recordLags.push(run.queuedAt - run.scheduledAt);
        if (run.startedAt !== null) startLags.push(run.startedAt - run.scheduledAt);
      }
      cursor = page.nextCursor;
      if (cursor === null) break;
    }
    for (const list of [recordLags, startLags]) list.sort((a, b) => a - b);
    console.log(
      `api-jobs-fire: ${schedules} API jobs on ${storeUrl.split(':')[0]}, ${(schedules / seconds).toFixed(0)} fires a second for ${seconds} s, ${slots} slots; written in ${writeSeconds.toFixed(1)} s; ${describeMachine()}; at the end ${describeLoadAverage()}`,
    );
    printTable([
      [
        'jobs',
        'fired once',
        'fired twice or more',
        'never fired',
        'runs recorded (succeeded)',
        'fire recorded, lag p50/p99/max (ms)',
        'run started, lag p50/p99/max (ms)',
        'call received, lag p50/p99/max (ms)',
      ],
      [
        String(schedules),
        String(lags.length - twice),
        String(twice),
        String(schedules - lags.length),
        `${recorded} (${succeeded})`,
        spread(recordLags),
        spread(startLags),
        spread(lags),
      ],
    ]);
  } finally {
    await daemon.stop(1000);
    receiver.close();
  }
}

try {
  if (stringFlag('store', 'sqlite') === 'postgres') await withEmptyPostgres(measure);
  else await measure(`sqlite:${path.join(folder, 'api-fire.db')}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
