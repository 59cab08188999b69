/**
 * cronplane's side of the dispatch benchmarks: a worker with `slots` slots on a store, ready to
 * take `runs` no-op `module` runs inserted in batches of `batch` and to say when the last one
 * finished. The benchmarks give it 500 slots by default (`--slots`), the batch the peers take:
 * graphile-worker's local queue of 500, pg-boss's batch of 500, BullMQ's concurrency of 500; a
 * claim takes at most as many runs as the worker has free slots.
 * `dispatch.bench.ts` times it against the peers, `cpu-per-run.bench.ts` measures its CPU.
 */
import path from 'node:path';
import { loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import { Worker } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { createExecuteRun } from '../../src/engine/execute-run.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { NewRun, Store } from '../../src/store/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

export interface NoopDispatch {
  /** Inserts every run and resolves when the last one has finished. */
  readonly dispatch: () => Promise<void>;
  /** Stops the worker (cronplane: drains it; the store stays open, its opener releases it). */
  readonly stop: () => Promise<void>;
}

export async function prepareNoopDispatch(
  store: Store,
  runs: number,
  batch: number,
  slots: number,
): Promise<NoopDispatch> {
  const noop = path.join(import.meta.dirname, 'noop-job.ts');
  const config = resolveConfig(
    loadJobFileText(
      `version: 1\njobs:\n  noop: { module: { path: ${JSON.stringify(noop)} } }\n`,
      'bench.yaml',
      {
        kinds: builtinKinds,
      },
    ),
  );
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const worker = new Worker({
    store,
    clock: systemClock(),
    node: 'bench',
    logger: createLogger({ level: 'silent' }),
    slots,
    pollMs: 50,
    execute: createExecuteRun(),
    onRunFinished: () => {
      if (++finished === runs) allDone();
      return Promise.resolve();
    },
  });
  await worker.start(config.jobs);
  return {
    dispatch: async () => {
      const now = Date.now();
      for (let offset = 0; offset < runs; offset += batch) {
        const rows: NewRun[] = [];
        for (let i = offset; i < Math.min(runs, offset + batch); i++) {
          rows.push({ job: 'noop', trigger: 'api', scheduledAt: now, queuedAt: now });
        }
        await store.insertRuns(rows);
        worker.wake();
      }
      await done;
    },
    stop: () => worker.drain(1000),
  };
}
