/**
 * Latency: an idle worker; runs queued one at a time at a steady rate (100/s by default), each
 * through the engine's trigger (durably inserted); measures enqueue-to-start (the moment the
 * executor is entered) p50/p99/max on each store.
 *
 *   npm run bench:latency -- --runs 1000 --rate 100
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

const runs = numberFlag('runs', 1000);
const rate = numberFlag('rate', 100);

async function measure(storeUrl: string): Promise<number[]> {
  const config = resolveConfig(
    loadJobFileText('version: 1\njobs:\n  noop: { run: "true" }\n', 'bench.yaml', { kinds: builtinKinds }),
  );
  const store = await openStore(storeUrl);
  const queuedAt = new Map<number, number>();
  const startedAt = new Map<number, number>();
  const engine = new Engine({
    store,
    clock: systemClock(),
    node: 'bench',
    logger: createLogger({ level: 'silent' }),
    schedule: false,
    execute: ({ run }) => {
      startedAt.set(run.id, performance.now());
      return Promise.resolve({ outcome: 'success' as const });
    },
  });
  await engine.start(config);
  const interval = 1000 / rate;
  const begin = performance.now();
  for (let i = 0; i < runs; i++) {
    const target = begin + i * interval;
    const wait = target - performance.now();
    if (wait > 0) await sleep(wait);
    const before = performance.now();
    const [run] = await engine.trigger({ job: 'noop', trigger: 'api' });
    if (run !== undefined) queuedAt.set(run.id, before);
  }
  while (startedAt.size < runs) await sleep(10);
  await engine.drain(1000);
  await store.release();
  return [...queuedAt].map(([id, queued]) => (startedAt.get(id) ?? Number.NaN) - queued);
}

console.log(
  `latency: ${runs} runs queued one at a time at ${rate}/s, enqueue to start; ${describeMachine()}`,
);
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-latency-'));
const rows: (string | number)[][] = [['store', 'p50 ms', 'p99 ms', 'max ms']];
try {
  const sqlite = await measure(`sqlite:${path.join(folder, 'latency.db')}`);
  rows.push(['SQLite', ...[50, 99, 100].map((p) => percentile(sqlite, p).toFixed(2))]);
  const postgres = await withEmptyPostgres(measure);
  rows.push(['PostgreSQL', ...[50, 99, 100].map((p) => percentile(postgres, p).toFixed(2))]);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
printTable(rows);
