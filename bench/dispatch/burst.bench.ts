/**
 * Burst: one schedule fans out to N tenants (100,000 by default) at the same instant, as "all
 * tenants at 02:00" does. Measures, from the scheduled instant, when the first and when the
 * last run started, on each store.
 *
 * The stores are measured interleaved, `--repeat` rounds (5 by default), each pass on a fresh
 * database; prints one line per pass, then per store the median with its min–max, and the load
 * average at start and end. cronplane only: the peers have no schedule that fans out to tenants
 * (see docs/benchmarks.md#dispatch).
 *
 *   npm run bench:burst -- --repeat 5 --tenants 100000
 *
 * `--lead-seconds` sets how far ahead of the pass's start the instant is: by default 2 s of
 * start-up plus the engine's own lead for the fan-out (`leadOf`: 6.5 s for 100,000 runs), so the
 * fan-out is recorded before the instant, as a daemon running before 02:00 records it. A pass
 * whose fan-out was still being recorded at the instant is flagged, as is one whose first run
 * started a second or more late (the start-up or the recording, not the burst, decided them).
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
import { describeMachine, numberFlag, printTable } from '../support/machine.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { medianSummaryTable } from '../support/median-summary-table.ts';
import { runInterleaved } from '../support/run-interleaved.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { defaultLookAheadMs, recordMsPerRun } from '../../src/engine/look-ahead.ts';

const tenants = numberFlag('tenants', 100_000);
const repeat = numberFlag('repeat', 5);
/**
 * How far ahead of the pass's start the schedule's instant is: the job file must be loaded and the
 * fan-out written before it, or the pass measures the start-up and the recording. The engine
 * starts recording a fan-out `leadOf` ahead of its instant; 2 s more cover the start-up.
 */
const leadSeconds = numberFlag(
  'lead-seconds',
  Math.ceil((2000 + defaultLookAheadMs + tenants * recordMsPerRun) / 1000),
);

async function measure(
  storeUrl: string,
): Promise<{ firstMs: number; startedMs: number; recordedMs: number }> {
  const fireAt = Math.ceil((Date.now() + leadSeconds * 1000) / 1000) * 1000;
  const at = new Date(fireAt).toISOString().slice(0, 19).replace('T', ' ');
  // start_deadline 1h: a run claimed more than the default 60 s after its instant is skipped,
  // which on a loaded machine left the pass waiting for runs that would never start.
  const yaml = `version: 1\njobs:\n  nightly:\n    schedule: "${at} UTC"\n    for_each: { tenant_id: "\${TENANTS}" }\n    concurrency: allow\n    start_deadline: 1h\n    run: "true"\n`;
  const list = Array.from({ length: tenants }, (_, i) => `tenant_${i}`).join(',');
  const config = resolveConfig(
    loadJobFileText(yaml, 'bench.yaml', { env: { TENANTS: list }, kinds: builtinKinds }),
  );
  const opened = await openStore(storeUrl);
  // When the fan-out's last batch was in the store (after the instant: the pass is flagged).
  let recordedAt = 0;
  const store: typeof opened = Object.create(opened, {
    insertRuns: {
      value: async (...args: Parameters<typeof opened.insertRuns>) => {
        const result = await opened.insertRuns(...args);
        recordedAt = Date.now();
        return result;
      },
    },
  });
  let started = 0;
  let firstStart = 0;
  let lastStart = 0;
  const engine = new Engine({
    store,
    clock: systemClock(),
    node: 'bench',
    logger: createLogger({ level: 'silent' }),
    slots: 1000,
    execute: () => {
      if (started++ === 0) firstStart = Date.now();
      lastStart = Date.now();
      return Promise.resolve({ outcome: 'success' as const });
    },
  });
  await engine.start(config);
  while (started < tenants) {
    if (started === 0 && Date.now() > fireAt + 60_000) {
      throw new Error(
        'no run started a minute after the instant: the engine started after it (a missed fire); raise --lead-seconds',
      );
    }
    await sleep(20);
  }
  await engine.drain(1000);
  await opened.release();
  return { firstMs: firstStart - fireAt, startedMs: lastStart - fireAt, recordedMs: recordedAt - fireAt };
}

interface BurstPass {
  readonly firstMs: number;
  readonly startedMs: number;
  /** When the fan-out's last batch was recorded, from the instant (negative: before it). */
  readonly recordedMs: number;
}

async function sqlite(): Promise<BurstPass> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-burst-'));
  try {
    return await measure(`sqlite:${path.join(folder, 'burst.db')}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const stores = [
  { name: 'cronplane, SQLite', measure: sqlite },
  { name: 'cronplane, PostgreSQL', measure: () => withEmptyPostgres(measure) },
];
console.log(
  `burst: ${tenants} runs due at one instant per pass, ${repeat} interleaved rounds; ${describeMachine()}`,
);
console.log(`at start: ${describeLoadAverage()}`);
const passes = await runInterleaved(
  stores,
  repeat,
  ({ firstMs, startedMs, recordedMs }) =>
    `fan-out recorded ${recordedMs <= 0 ? `${-recordedMs} ms before` : `${recordedMs} ms AFTER`} the instant; first run started after ${firstMs} ms, all after ${startedMs} ms`,
);
console.log(`at end: ${describeLoadAverage()}`);
const figures = (pick: (pass: BurstPass) => number) =>
  stores.map((store) => ({ name: store.name, values: (passes.get(store.name) ?? []).map(pick) }));
printTable(
  medianSummaryTable(
    [
      { label: 'first run started after (ms)', figures: figures((pass) => pass.firstMs) },
      { label: 'all runs started after (ms)', figures: figures((pass) => pass.startedMs) },
    ],
    (ms) => Math.round(ms).toLocaleString('en'),
  ),
);
const late = [...passes.values()].flat().filter((pass) => pass.firstMs >= 1000 || pass.recordedMs > 0).length;
if (late > 0) {
  console.log(
    `\n${late} pass(es) were still recording the fan-out at the instant, or started their first run a second or more after it: the start-up and the recording count in "all runs started"; raise --lead-seconds.`,
  );
}
