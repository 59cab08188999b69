/**
 * What recording a fire of a job with a `cooldown` costs now that it is decided under the keys'
 * locks (`recordRunsInCooldown`, `Store.startRunsInCooldown`: one write transaction, a lock per
 * fan key on PostgreSQL, one insert per run), against the batch insert every other job's fire
 * takes (`Store.insertRuns`). Each pass records `--fires` fires of a job fanned out over `--keys`
 * keys, on a fresh store; the two paths alternate pass by pass. Figures: Node's CPU per run
 * (process.cpuUsage), PostgreSQL's server CPU per run (its backends' /proc stat) and the wall
 * time per run, medians over `--repeat` passes, with the load average.
 *
 *   node bench/dispatch/cooldown-fire.bench.ts --keys 1000 --fires 5 --repeat 3
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResolvedJob } from '../../src/config/index.ts';
import { configOf } from '../../test/support/engine-harness.ts';
import { planFire, readLastStarts, recordRunsInCooldown } from '../../src/engine/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/index.ts';
import { postgresTestUrl } from '../../test/support/postgres.ts';
import { describeLoadAverage } from '../support/load-average.ts';
import { describeMachine, numberFlag, printTable } from '../support/machine.ts';
import { median } from '../support/median.ts';
import { backendCpuBetween, readBackendCpu } from '../support/postgres-backend-cpu.ts';
import { withEmptyPostgres } from '../support/postgres.ts';

const keys = numberFlag('keys', 1000);
const fires = numberFlag('fires', 5);
const repeat = numberFlag('repeat', 3);
const hour = 3_600_000;

function jobWith(cooldown: boolean): ResolvedJob {
  const tenants = Array.from({ length: keys }, (_, index) => `t${index}`).join(', ');
  const config = configOf(
    `version: 1\njobs:\n  sync: { for_each: { tenant: [${tenants}] }, ${cooldown ? 'cooldown: 30m, ' : ''}run: "true" }\n`,
  );
  return config.jobs[0] as ResolvedJob;
}

const paths = {
  /** Every job without a cooldown: one batch insert per fire. */
  batch: async (store: Store, job: ResolvedJob, at: number) => {
    await store.insertRuns(planFire(job, at, { now: at, trigger: 'schedule' }));
  },
  /** A cooldown job's fire before the lock: the keys' last starts read, then one batch insert. */
  unlocked: async (store: Store, job: ResolvedJob, at: number) => {
    const runs = planFire(job, at, { now: at, trigger: 'schedule' });
    await readLastStarts(store, runs, () => job);
    await store.insertRuns(runs);
  },
  /** A cooldown job's fire: decided and inserted under the keys' locks. */
  locked: async (store: Store, job: ResolvedJob, at: number) => {
    await recordRunsInCooldown(store, planFire(job, at, { now: at, trigger: 'schedule' }), () => job);
  },
} as const;

interface Pass {
  readonly nodeUs: number;
  readonly serverUs: number | undefined;
  readonly wallUs: number;
}

async function pass(name: keyof typeof paths, url: string, database: string | undefined): Promise<Pass> {
  const job = jobWith(name !== 'batch');
  const store = await openStore(url);
  try {
    await store.migrate();
    const serverBefore = database === undefined ? undefined : await readBackendCpu(postgresTestUrl, database);
    const nodeBefore = process.cpuUsage();
    const started = performance.now();
    // A fire each hour: each falls outside the last one's cooldown, so every run is recorded to run.
    for (let fire = 1; fire <= fires; fire++)
      await paths[name](store, job, Date.UTC(2026, 0, 1) + fire * hour);
    const wallMs = performance.now() - started;
    const node = process.cpuUsage(nodeBefore);
    const server =
      database === undefined || serverBefore === undefined
        ? undefined
        : backendCpuBetween(serverBefore, await readBackendCpu(postgresTestUrl, database));
    const runs = keys * fires;
    return {
      nodeUs: (node.user + node.system) / runs,
      serverUs: server === undefined ? undefined : (server * 1000) / runs,
      wallUs: (wallMs * 1000) / runs,
    };
  } finally {
    await store.release();
  }
}

async function measure(
  store: string,
  open: () => Promise<{ url: string; database?: string; drop: () => Promise<void> }>,
): Promise<(string | number)[][]> {
  const passes: Record<keyof typeof paths, Pass[]> = { batch: [], unlocked: [], locked: [] };
  for (let round = 0; round < repeat; round++) {
    for (const name of ['batch', 'unlocked', 'locked'] as const) {
      const place = await open();
      try {
        passes[name].push(await pass(name, place.url, place.database));
      } finally {
        await place.drop();
      }
    }
  }
  return (['batch', 'unlocked', 'locked'] as const).map((name) => {
    const of = (pick: (one: Pass) => number | undefined) => {
      const values = passes[name].map(pick).filter((value): value is number => value !== undefined);
      return values.length === 0 ? '-' : median(values).toFixed(1);
    };
    return [store, name, of((one) => one.nodeUs), of((one) => one.serverUs), of((one) => one.wallUs)];
  });
}

console.log(describeMachine());
console.log(`load average before: ${describeLoadAverage()}`);
console.log(`${fires} fires of ${keys} fan keys per pass, ${repeat} passes per path, alternating`);
const rows = [
  ...(await measure('SQLite', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-cooldown-bench-'));
    return {
      url: `sqlite:${path.join(folder, 'store.db')}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  })),
  ...(await measure('PostgreSQL', async () => {
    let release: () => void = () => undefined;
    let ready: (place: { url: string; database: string }) => void = () => undefined;
    const placed = new Promise<{ url: string; database: string }>((resolve) => (ready = resolve));
    const done = withEmptyPostgres(async (url) => {
      ready({ url, database: new URL(url).pathname.slice(1) });
      await new Promise<void>((resolve) => (release = resolve));
    });
    const place = await placed;
    return {
      ...place,
      drop: async () => {
        release();
        await done;
      },
    };
  })),
];
printTable([['store', 'path', 'node µs/run', 'server µs/run', 'wall µs/run'], ...rows]);
console.log(`load average after: ${describeLoadAverage()}`);
