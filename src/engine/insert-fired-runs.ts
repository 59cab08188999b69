import type { NewRun } from '../store/index.ts';
import type { SchedulerOptions } from './scheduler-options.ts';

/** Runs recorded per statement when a fire (or a tick's fires) makes many. */
const insertChunk = 1000;

/**
 * Records the runs of fires in chunks, telling the workers after each: the runs of a
 * 100,000-tenant fan-out start being claimed while the rest are still being written.
 */
export async function insertFiredRuns(options: SchedulerOptions, runs: readonly NewRun[]): Promise<void> {
  let duplicates = 0;
  for (let start = 0; start < runs.length; start += insertChunk) {
    const result = await options.store.insertRuns(runs.slice(start, start + insertChunk));
    duplicates += result.duplicates;
    if (result.inserted.some((run) => run.status === 'pending')) options.onRunsQueued?.();
  }
  if (duplicates > 0) {
    options.logger.warn({ duplicates }, 'fires already recorded (another node fired them)');
  }
}
