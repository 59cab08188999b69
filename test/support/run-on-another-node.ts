/**
 * A run that another node claimed, written straight into the store: what a test needs to read
 * a run's output or end it without an engine of its own running the job.
 */
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/index.ts';

/** The node that claims the run; finish it as this node. */
export const anotherNode = 'other-node';

/** Inserts a manual run of `job` due now and claims it as `anotherNode`; answers its id. */
export async function runOnAnotherNode(store: Store, job: string): Promise<number> {
  const now = Date.now();
  const { inserted } = await store.insertRuns([
    { job, trigger: 'manual', scheduledAt: now, queuedAt: now, runAfter: now },
  ]);
  const id = inserted[0]?.id as number;
  const [claimed] = await store.claimRuns({
    node: anotherNode,
    now,
    limit: 1,
    leaseMs: 60_000,
    runIds: [id],
  });
  assert.equal(claimed?.id, id);
  return id;
}
