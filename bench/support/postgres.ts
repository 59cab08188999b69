import { createPostgresHarness } from '../../test/support/postgres.ts';

/** Runs `work` on a new, empty database of the test PostgreSQL server, dropped afterwards. */
export async function withEmptyPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const harness = await createPostgresHarness();
  try {
    return await work(await harness.createEmptyDatabase());
  } finally {
    await harness.close();
  }
}
