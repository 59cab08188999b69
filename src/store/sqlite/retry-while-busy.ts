/**
 * Waiting for another process's write lock without freezing the process. node:sqlite is
 * synchronous: SQLite's own busy handler sleeps inside the call, and with it the whole event
 * loop (timers, the API, `/healthz`). So the connection's busy timeout is short
 * (`statementBusyMs`), and a statement that still finds the database locked is tried again
 * here, after an asynchronous pause, until `budgetMs` have passed; then the "database is
 * locked" error goes to the caller, whose loop backs off (see `storeFaultOf`).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long one statement may block the event loop waiting for the lock (SQLite's busy timeout). */
export const statementBusyMs = 10;
/** How long a call waits for the lock in all, asynchronously, before it fails. */
export const defaultBusyBudgetMs = 1000;
/** Migrations wait longer: another process may be migrating the same file. */
export const migrationBusyBudgetMs = 30_000;

/**
 * The pauses between attempts: short at first (most locks are held for a few milliseconds),
 * then 100 ms, so that a long wait blocks the event loop for about a tenth of its time.
 */
const pausesMs = [5, 10, 20, 40, 80] as const;

/** SQLITE_BUSY (another connection holds the lock), by its primary result code. */
export function isSqliteBusy(thrown: unknown): boolean {
  const error = thrown as { code?: unknown; errcode?: unknown } | null;
  return (
    typeof error === 'object' &&
    error !== null &&
    error.code === 'ERR_SQLITE_ERROR' &&
    typeof error.errcode === 'number' &&
    (error.errcode & 0xff) === 5
  );
}

/** Runs `attempt` again after short asynchronous pauses while it fails with SQLITE_BUSY, for up to `budgetMs`. */
export async function retryWhileBusy<T>(attempt: () => Promise<T> | T, budgetMs: number): Promise<T> {
  const deadline = performance.now() + budgetMs;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const left = deadline - performance.now();
      if (!isSqliteBusy(error) || left <= 0) throw error;
      await sleep(Math.min(pausesMs[tries] ?? 100, left));
    }
  }
}
