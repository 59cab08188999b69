/**
 * Runs a single-statement write again when PostgreSQL broke a lock cycle by cancelling it
 * (SQLSTATE 40P01, `deadlock detected`). A worker's batched finish and its lease renewal both
 * lock many running runs, in orders the planner chooses; when their locks cross, the server
 * rolls one statement back whole, so trying it again is safe and, the other one having gone
 * through, succeeds. Without this a finish lost that way left its runs `running` until their
 * lease expired, to be recorded lost and retried although their work had ended.
 */

/** The SQLSTATE of a statement rolled back to break a deadlock. */
const deadlockDetected = '40P01';

/** How many times a statement is sent in all before its deadlock goes to the caller. */
const attempts = 3;

export async function retryOnDeadlock<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (thrown) {
      if (attempt >= attempts || !isDeadlock(thrown)) throw thrown;
    }
  }
}

function isDeadlock(thrown: unknown): boolean {
  return (
    typeof thrown === 'object' && thrown !== null && (thrown as { code?: unknown }).code === deadlockDetected
  );
}
