import type { RunRecord } from '../store/index.ts';
import { untilStored } from './until-stored.ts';
import type { RunResult } from './run-result.ts';
import { statusOfOutcome } from './run-result.ts';
import type { WorkerOptions } from './worker-options.ts';
import { runLeaseMs } from './worker-options.ts';

/**
 * Records how a run this worker executed ended: its metrics, then its end (each tried again
 * while the store is away, for as long as the run's lease lasts), then tells `onRunFinished`.
 */
export async function recordRunEnd(
  options: WorkerOptions,
  run: RunRecord,
  end: {
    readonly result: RunResult;
    /** When the work began. */
    readonly startedAt: number;
    /** Set when the run was skipped at its claim (past its start deadline). */
    readonly skipReason: string | undefined;
    /** Why it ended as it did (skipped, cancelled), or null. */
    readonly reason: string | null;
  },
): Promise<void> {
  const { store, clock, node } = options;
  const { result, startedAt, skipReason, reason } = end;
  const status = statusOfOutcome[result.outcome];
  const finishedAt = clock.now();
  // The numbers are written before the end: whoever sees the run ended sees what it reported.
  const metrics = result.metrics;
  if (metrics !== undefined && Object.keys(metrics).length > 0) {
    await untilStored(clock, runLeaseMs(options), () => store.recordMetrics(run.id, metrics, finishedAt));
  }
  // The claim recorded when the work was to begin (before its answer came back, or the due
  // time of a run claimed ahead); the finish records when it did.
  // Both are tried again while the store is away, for as long as the run's lease lasts (it is
  // renewed meanwhile): the run was done, and a store away for a few seconds must not lose that.
  const recorded = await untilStored(clock, runLeaseMs(options), () =>
    store.finishRun(run.id, node, {
      status,
      finishedAt,
      exitCode: result.exitCode ?? null,
      httpStatus: result.httpStatus ?? null,
      error: result.error ?? null,
      reason,
      // A run skipped at its claim never began: it starts and ends at once.
      startedAt: skipReason === undefined ? Math.min(startedAt, finishedAt) : finishedAt,
    }),
  );
  if (recorded) {
    const ended: RunRecord = {
      ...run,
      status,
      statusReason: reason,
      startedAt: skipReason === undefined ? Math.min(startedAt, finishedAt) : finishedAt,
      finishedAt,
      exitCode: result.exitCode ?? null,
      httpStatus: result.httpStatus ?? null,
      error: result.error ?? null,
    };
    await options.onRunFinished?.(ended, status, result);
  }
}
