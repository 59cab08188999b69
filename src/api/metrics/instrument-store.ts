import { performance } from 'node:perf_hooks';
import type { FinishRunInput, RunRecord, Store } from '../../store/index.ts';
import type { Counter, Histogram } from './metrics-registry.ts';

/** What the instrumented store records into. */
export interface StoreInstruments {
  /** Seconds each store operation took, by operation. */
  readonly operationSeconds: Histogram;
  /** Runs this node claimed (started), by job. */
  readonly runsStarted: Counter;
  /** Runs this node recorded the end of, by job and status (lost runs by any node's sweep). */
  readonly runsFinished: Counter;
  /** Seconds from a run's earliest start to its claim. */
  readonly fireLagSeconds: Histogram;
  /** Seconds a run ran, by job. */
  readonly runDurationSeconds: Histogram;
}

/** Runs claimed and not yet finished that the instruments remember, at most. */
const maxTracked = 200_000;

/**
 * The store with its calls measured: the latency of every operation, and — from what the worker
 * claims and finishes through it — runs started and finished by job and status, fire lag and run
 * durations. Behaviour is unchanged; the engine is given this store instead of the bare one.
 */
export function instrumentStore(store: Store, instruments: StoreInstruments): Store {
  const started = new Map<number, { readonly job: string; readonly startedAt: number }>();
  const timed =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const begin = performance.now();
      try {
        return await call(...args);
      } finally {
        instruments.operationSeconds.observe({ operation }, (performance.now() - begin) / 1000);
      }
    };
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    wrapped[name] =
      typeof value === 'function'
        ? timed(name, (value as (...args: unknown[]) => Promise<unknown>).bind(store))
        : value;
  }
  const claimRuns = timed('claimRuns', store.claimRuns.bind(store));
  const insertAndClaimRuns = timed('insertAndClaimRuns', store.insertAndClaimRuns.bind(store));
  const countStarted = (runs: readonly RunRecord[], now: number): void => {
    for (const run of runs) {
      const at = run.startedAt ?? now;
      instruments.runsStarted.inc({ job: run.job });
      instruments.fireLagSeconds.observe({}, Math.max(0, at - run.runAfter) / 1000);
      if (started.size < maxTracked) started.set(run.id, { job: run.job, startedAt: at });
    }
  };
  const finishRun = timed('finishRun', store.finishRun.bind(store));
  const expireLeases = timed('expireLeases', store.expireLeases.bind(store));
  const instrumented: Store = {
    ...(wrapped as unknown as Store),
    dialect: store.dialect,
    async claimRuns(input) {
      const runs = await claimRuns(input);
      countStarted(runs, input.now);
      return runs;
    },
    async insertAndClaimRuns(runs, claim) {
      const result = await insertAndClaimRuns(runs, claim);
      countStarted(result.claimed, claim.now);
      return result;
    },
    async finishRun(runId: number, node: string, input: FinishRunInput) {
      const recorded = await finishRun(runId, node, input);
      const run = started.get(runId);
      started.delete(runId);
      if (recorded && run !== undefined) {
        instruments.runsFinished.inc({ job: run.job, status: input.status });
        instruments.runDurationSeconds.observe(
          { job: run.job },
          Math.max(0, input.finishedAt - run.startedAt) / 1000,
        );
      }
      return recorded;
    },
    async expireLeases(now, node) {
      const lost: readonly RunRecord[] = await expireLeases(now, node);
      for (const run of lost) {
        started.delete(run.id);
        instruments.runsFinished.inc({ job: run.job, status: 'lost' });
      }
      return lost;
    },
    release: () => store.release(),
    [Symbol.asyncDispose]: () => store.release(),
  };
  return instrumented;
}
