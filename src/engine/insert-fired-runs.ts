import type { ResolvedJob } from '../config/index.ts';
import type { NewRun } from '../store/index.ts';
import { recordRunsInCooldown } from './cooldown.ts';
import type { SchedulerOptions } from './scheduler-options.ts';

/** Runs recorded per statement when a fire (or a tick's fires) makes many. */
const insertChunk = 1000;

/**
 * Records the runs of fires. Those of jobs with a `cooldown` are decided under their keys' locks
 * (`recordRunsInCooldown`: inside a cooldown, recorded skipped); the rest in chunks, telling the
 * workers after each: the runs of a 100,000-tenant fan-out start being claimed while the rest are
 * still being written.
 */
export async function insertFiredRuns(
  options: SchedulerOptions,
  runs: readonly NewRun[],
  jobOf: (name: string) => ResolvedJob | undefined,
): Promise<void> {
  const { recorded, rest } = await recordRunsInCooldown(options.store, runs, jobOf);
  let duplicates = recorded.duplicates;
  if (recorded.inserted.some((run) => run.status === 'pending')) options.onRunsQueued?.();
  for (let start = 0; start < rest.length; start += insertChunk) {
    const result = await options.store.insertRuns(rest.slice(start, start + insertChunk));
    duplicates += result.duplicates;
    if (result.inserted.some((run) => run.status === 'pending')) options.onRunsQueued?.();
  }
  if (duplicates > 0) {
    options.logger.warn({ duplicates }, 'fires already recorded (another node fired them)');
  }
}
