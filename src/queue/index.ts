/**
 * Work enqueued through the API and drained by a job with `queue:`: items are runs in status
 * `held` until the drainer releases them to `pending` (oldest first, `per_key`, `max_per_run`).
 */
export { planQueueItem, maxRateKeyLength } from './plan-queue-item.ts';
export type { QueueItemRequest } from './plan-queue-item.ts';
export { QueueDrainer, drainerLeaseName, maxScannedPerPass } from './queue-drainer.ts';
export type { QueueDrainerOptions } from './queue-drainer.ts';
