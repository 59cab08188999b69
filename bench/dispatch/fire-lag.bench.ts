/**
 * Fire lag: S per-second schedules (1,000 by default) run for D seconds (60 by default); the lag
 * of a run is the moment its work started minus its scheduled second. Prints p50/p99/max on
 * each store.
 *
 *   npm run bench:fire-lag -- --schedules 1000 --seconds 60
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { openStore } from '../../src/store/index.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, percentile, printTable } from '../support/machine.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

const schedules = numberFlag('schedules', 1000);
const seconds = numberFlag('seconds', 60);

async function measure(storeUrl: string): Promise<number[]> {
  const jobs = Array.from(
    { length: schedules },
    (_, i) => `  s${i}: { schedule: every 1s, concurrency: allow, run: "true" }`,
  );
  const config = resolveConfig(
    loadJobFileText(`version: 1\njobs:\n${jobs.join('\n')}\n`, 'bench.yaml', { kinds: builtinKinds }),
  );
  const store = await openStore(storeUrl);
  const lags: number[] = [];
  const engine = new Engine({
    store,
    clock: systemClock(),
    node: 'bench',
    logger: createLogger({ level: 'silent' }),
    slots: 2000,
    execute: ({ run }) => {
      lags.push(Date.now() - run.scheduledAt);
      return Promise.resolve({ outcome: 'success' as const });
    },
  });
  await engine.start(config);
  await sleep(seconds * 1000);
  await engine.drain(1000);
  await store.release();
  return lags;
}

console.log(`fire lag: ${schedules} per-second schedules for ${seconds} s; ${describeMachine()}`);
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-lag-'));
const rows: (string | number)[][] = [['store', 'runs', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms']];
try {
  const sqlite = await measure(`sqlite:${path.join(folder, 'lag.db')}`);
  rows.push(['SQLite', sqlite.length, ...[50, 90, 99, 100].map((p) => percentile(sqlite, p))]);
  const postgres = await withEmptyPostgres(measure);
  rows.push(['PostgreSQL', postgres.length, ...[50, 90, 99, 100].map((p) => percentile(postgres, p))]);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
printTable(rows);
