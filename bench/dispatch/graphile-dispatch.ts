/**
 * graphile-worker's side of the dispatch benchmarks, with the settings it documents for its best
 * throughput (docs: Performance): a local queue of 500, batched completion, `runs` no-op jobs added
 * in batches of `batch`. `dispatch.bench.ts` times it, `cpu-per-run.bench.ts` measures its CPU.
 */
import { Logger, makeWorkerUtils, run as runGraphileWorker } from 'graphile-worker';
import type { NoopDispatch } from './noop-dispatch.ts';

export async function prepareGraphileDispatch(
  connectionString: string,
  runs: number,
  batch: number,
): Promise<NoopDispatch> {
  const utils = await makeWorkerUtils({ connectionString });
  await utils.migrate();
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const runner = await runGraphileWorker({
    connectionString,
    concurrency: 24,
    maxPoolSize: 25,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: new Logger(() => () => undefined),
    taskList: {
      noop: () => {
        if (++finished === runs) allDone();
        return Promise.resolve();
      },
    },
    preset: { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  });
  return {
    dispatch: async () => {
      for (let offset = 0; offset < runs; offset += batch) {
        const specs = [];
        for (let i = offset; i < Math.min(runs, offset + batch); i++)
          specs.push({ identifier: 'noop', payload: {} });
        await utils.addJobs(specs);
      }
      await done;
    },
    stop: async () => {
      await runner.stop();
      await utils.release();
    },
  };
}
