import { Backoff } from '../backoff/index.ts';
import type { Clock } from '../clock/index.ts';
import { isStoreFault } from '../store/index.ts';

/**
 * A write that must not be lost to a store that is away for a while (a run's end): tried again
 * after a back-off while it fails with a store fault, for up to `forMs`; any other error, or the
 * last fault, goes to the caller.
 */
export function untilStored<T>(clock: Clock, forMs: number, write: () => Promise<T>): Promise<T> {
  const giveUpAt = clock.now() + forMs;
  // The first try is nearly always the only one: it costs no frame or back-off of its own.
  let first: Promise<T>;
  try {
    first = write();
  } catch (thrown) {
    first = Promise.reject(thrown);
  }
  return first.catch((thrown: unknown) => tryAgain(clock, giveUpAt, write, thrown));
}

async function tryAgain<T>(
  clock: Clock,
  giveUpAt: number,
  write: () => Promise<T>,
  failed: unknown,
): Promise<T> {
  const backoff = new Backoff();
  let last = failed;
  for (;;) {
    if (!isStoreFault(last) || clock.now() >= giveUpAt) throw last;
    const wait = backoff.next();
    await new Promise<void>((resolve) => clock.setTimer(resolve, wait));
    try {
      return await write();
    } catch (thrown) {
      last = thrown;
    }
  }
}
