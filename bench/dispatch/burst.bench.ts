/**
 * Burst: one schedule fans out to N tenants (100,000 by default) at the same instant, as "all
 * tenants at 02:00" does. Measures, from the scheduled instant, when the first and when the
 * last run started, on each store.
 *
 *   npm run bench:burst -- --tenants 100000
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
import { builtinKinds } from '../../src/kinds/index.ts';

const tenants = numberFlag('tenants', 100_000);

async function measure(storeUrl: string): Promise<{ firstMs: number; startedMs: number }> {
  const fireAt = Math.ceil((Date.now() + 3000) / 1000) * 1000;
  const at = new Date(fireAt).toISOString().slice(0, 19).replace('T', ' ');
  const yaml = `version: 1\njobs:\n  nightly:\n    schedule: "${at} UTC"\n    for_each: { tenant_id: "\${TENANTS}" }\n    concurrency: allow\n    run: "true"\n`;
  const list = Array.from({ length: tenants }, (_, i) => `tenant_${i}`).join(',');
  const config = resolveConfig(
    loadJobFileText(yaml, 'bench.yaml', { env: { TENANTS: list }, kinds: builtinKinds }),
  );
  const store = await openStore(storeUrl);
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
  while (started < tenants) await sleep(20);
  await engine.drain(1000);
  await store.release();
  return { firstMs: firstStart - fireAt, startedMs: lastStart - fireAt };
}

console.log(`burst: ${tenants} runs due at one instant; ${describeMachine()}`);
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-burst-'));
const rows: (string | number)[][] = [
  ['store', 'first run started after (ms)', 'all runs started after (ms)'],
];
try {
  const sqlite = await measure(`sqlite:${path.join(folder, 'burst.db')}`);
  rows.push(['SQLite', sqlite.firstMs, sqlite.startedMs]);
  const postgres = await withEmptyPostgres(measure);
  rows.push(['PostgreSQL', postgres.firstMs, postgres.startedMs]);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
printTable(rows);
