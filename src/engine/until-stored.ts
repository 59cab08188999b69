import { Backoff } from '../backoff/index.ts';
import type { Clock } from '../clock/index.ts';
import { isStoreFault } from '../store/index.ts';

/**
 * A write that must not be lost to a store that is away for a while (a run's end): tried again
 * after a back-off while it fails with a store fault, for up to `forMs`; any other error, or the
 * last fault, goes to the caller.
 */
export async function untilStored<T>(clock: Clock, forMs: number, write: () => Promise<T>): Promise<T> {
  // The first try is the only one nearly always: the back-off is made only when it failed.
  let backoff: Backoff | undefined;
  const giveUpAt = clock.now() + forMs;
  for (;;) {
    try {
      return await write();
    } catch (thrown) {
      if (!isStoreFault(thrown) || clock.now() >= giveUpAt) throw thrown;
      backoff ??= new Backoff();
      const wait = backoff.next();
      await new Promise<void>((resolve) => clock.setTimer(resolve, wait));
    }
  }
}
