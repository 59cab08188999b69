import { Backoff } from '../backoff/index.ts';
import type { Clock } from '../clock/index.ts';
import { isStoreFault } from '../store/index.ts';

/**
 * A write that must not be lost to a store that is away for a while (a run's end): tried again
 * after a back-off while it fails with a store fault, for up to `forMs`; any other error, or the
 * last fault, goes to the caller.
 */
export async function untilStored<T>(clock: Clock, forMs: number, write: () => Promise<T>): Promise<T> {
  const backoff = new Backoff();
  const giveUpAt = clock.now() + forMs;
  for (;;) {
    try {
      return await write();
    } catch (thrown) {
      if (!isStoreFault(thrown) || clock.now() >= giveUpAt) throw thrown;
      await new Promise<void>((resolve) => clock.setTimer(resolve, backoff.next()));
    }
  }
}
