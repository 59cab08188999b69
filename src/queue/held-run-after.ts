/**
 * The earliest start of a queue item that is waiting to be released: later than any real time,
 * so no worker claims it and `nextPendingRunAfter` never wakes a worker for it. The queue drainer
 * moves an item from here to "now" (a compare-and-set on this value) when the item may start.
 */
export const heldRunAfter = Number.MAX_SAFE_INTEGER;

/** True when a pending run is a queue item still waiting for its release. */
export function isHeld(runAfter: number): boolean {
  return runAfter === heldRunAfter;
}
