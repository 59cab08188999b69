import type { ScheduleState } from '../store/index.ts';

/**
 * The schedule state to write for a job whose cursor is now `lastFireAt` and whose next fire is
 * `nextFireAt`, or undefined when nothing needs writing: the stored row already says the same, or
 * there is no row and the job has never fired. A missing row reads as "never fired" everywhere a
 * cursor is read (the start-up's catch-up and a new leader's take-over both continue from now),
 * and the next fire is worked out from the calendar wherever it is shown, so a row that says only
 * that would change nothing; a first start of 100,000 jobs wrote 100,000 of them (0.6–0.7 s on
 * PostgreSQL). A job's row appears with its first fire.
 */
export function stateToWrite(
  stored: ScheduleState | undefined,
  job: string,
  lastFireAt: number | null,
  nextFireAt: number | null,
): ScheduleState | undefined {
  if (stored === undefined) {
    return lastFireAt === null ? undefined : { job, lastFireAt, nextFireAt };
  }
  if (stored.lastFireAt === lastFireAt && stored.nextFireAt === nextFireAt) return undefined;
  return { job, lastFireAt, nextFireAt };
}
