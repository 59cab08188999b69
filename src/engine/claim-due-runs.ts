import type { ResolvedJob } from '../config/index.ts';
import type { ClaimRunsInput, RunRecord, Store } from '../store/index.ts';

export interface ClaimDueRunsInput {
  readonly node: string;
  readonly now: number;
  /** How many runs to claim at most (the worker's free slots). */
  readonly free: number;
  readonly leaseMs: number;
  readonly aheadMs: number;
  /** The jobs this node may claim; undefined means every job. */
  readonly claimable: readonly string[] | undefined;
  /** Jobs with a parallel limit across all nodes, claimed separately up to it. */
  readonly limited: readonly ResolvedJob[];
}

/**
 * One claim of a worker: due runs of unlimited jobs first, then, for each job with a parallel
 * limit, as many as its room across the nodes allows. Each `claimRuns` is a compare-and-set in
 * the store, so racing nodes never claim a run twice.
 */
export async function claimDueRuns(store: Store, input: ClaimDueRunsInput): Promise<readonly RunRecord[]> {
  const { free, limited, claimable } = input;
  if (claimable?.length === 0 || free <= 0) return [];
  const claimed = [...(await store.claimRuns(unlimitedClaim(input)))];
  if (limited.length === 0) return claimed;
  const counts = new Map(
    (await store.countActiveRuns(limited.map((job) => job.name))).map((count) => [count.job, count.running]),
  );
  for (const job of limited) {
    const room = Math.min((limitOf(job) ?? 0) - (counts.get(job.name) ?? 0), free - claimed.length);
    if (room <= 0) continue;
    claimed.push(...(await store.claimRuns({ ...claimBase(input), limit: room, jobs: [job.name] })));
  }
  return claimed;
}

/**
 * The first claim of `claimDueRuns`: due runs of the jobs without a parallel limit, up to the free
 * slots. `Worker.queueRuns` makes the same claim in the transaction of its insert.
 */
export function unlimitedClaim(input: ClaimDueRunsInput): ClaimRunsInput {
  const { limited } = input;
  return {
    ...claimBase(input),
    ...(input.claimable === undefined ? {} : { jobs: input.claimable }),
    limit: input.free,
    ...(limited.length === 0 ? {} : { exclude: { jobs: limited.map((job) => job.name) } }),
  };
}

function claimBase(input: ClaimDueRunsInput) {
  return {
    node: input.node,
    now: input.now,
    leaseMs: input.leaseMs,
    ...(input.aheadMs > 0 ? { aheadMs: input.aheadMs } : {}),
  };
}

/** How many runs of a job may run at once across all nodes, when limited. */
export function limitOf(job: ResolvedJob): number | undefined {
  if (job.maxParallel !== undefined) return job.maxParallel;
  return job.concurrency === 'queue' ? 1 : undefined;
}
