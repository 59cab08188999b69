/**
 * The overview's operations, carried out on a store: the last runs per job and fan-out key, and
 * the run changes one actor may see, as an async iterable.
 */
import type { ResolvedJob } from '../config/index.ts';
import { fanKeyOf } from '../engine/index.ts';
import type { RunChangeRecord, Store } from '../store/index.ts';
import type { Actor, RecentRunsQuery } from './control.ts';
import { ControlError } from './control-error.ts';
import type { RunChangeSource } from './run-change-feed.ts';
import { compactRunView, runChangeView } from './views/recent-runs-view.ts';
import type { RecentRunsView, RunChangeView } from './views/recent-runs-view.ts';

/** Runs per key when the query says nothing. */
export const defaultPerKey = 50;
/** Changes a follower may have waiting before it is ended (it reconnects and reloads). */
const maxWaiting = 10_000;

/** The fan-out keys of a job's runs: '' alone for a job that does not fan out. */
export function fanKeysOf(job: ResolvedJob): readonly string[] {
  return job.fanOut.map(fanKeyOf);
}

export async function readRecentRuns(
  store: Store,
  jobs: readonly ResolvedJob[],
  actor: Actor,
  query: RecentRunsQuery,
): Promise<RecentRunsView> {
  const perKey = query.perKey ?? defaultPerKey;
  if (!Number.isSafeInteger(perKey) || perKey < 1 || perKey > 100) {
    throw new ControlError(
      'bad_input',
      'api.invalid',
      `query.per: expected 1 to 100 runs per key; found ${perKey}`,
      {
        path: 'query.per',
      },
    );
  }
  const chosen = query.jobs === undefined ? visibleJobs(jobs, actor) : namedJobs(jobs, actor, query.jobs);
  const keys = chosen.flatMap((job) => fanKeysOf(job).map((fanKey) => ({ job: job.name, fanKey })));
  const runs = await store.listRecentRuns({ keys, perKey });
  const byKey = new Map<string, RecentRunsView['keys'][number]['runs'][number][]>();
  for (const run of runs) {
    const id = `${run.job}\u0000${run.fanKey}`;
    let list = byKey.get(id);
    if (list === undefined) byKey.set(id, (list = []));
    list.push(compactRunView(run));
  }
  return {
    perKey,
    keys: keys.map((key) => ({ ...key, runs: byKey.get(`${key.job}\u0000${key.fanKey}`) ?? [] })),
  };
}

function visibleJobs(jobs: readonly ResolvedJob[], actor: Actor): ResolvedJob[] {
  return jobs.filter((job) => actor.mayAccess(job.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The jobs named, in the order named: each one the actor may touch and the job file has. */
function namedJobs(jobs: readonly ResolvedJob[], actor: Actor, names: readonly string[]): ResolvedJob[] {
  const known = new Map(jobs.map((job) => [job.name, job]));
  return [...new Set(names)].map((name) => {
    if (!actor.mayAccess(name)) {
      throw new ControlError(
        'forbidden',
        'api.forbidden',
        `token "${actor.name}" is limited to jobs matching ${actor.jobs.join(', ')}; "${name}" is not one of them`,
        { path: 'query.jobs' },
      );
    }
    const job = known.get(name);
    if (job === undefined) {
      throw new ControlError('not_found', 'api.unknown-job', `no job named "${name}" in the job file`, {
        path: 'query.jobs',
      });
    }
    return job;
  });
}

/**
 * The changes of runs the actor may see, from the source, until `signal` aborts (or the reader
 * falls more than 10,000 changes behind: it ends, and the caller reloads).
 */
export async function* followRunChanges(
  source: RunChangeSource,
  actor: Actor,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunChangeView> {
  const waiting: RunChangeRecord[] = [];
  let wake: (() => void) | undefined;
  let overflow = false;
  const stop = source.listen((change) => {
    if (!actor.mayAccess(change.job)) return;
    if (waiting.length >= maxWaiting) overflow = true;
    else waiting.push(change);
    wake?.();
  });
  const aborted = (): void => wake?.();
  signal?.addEventListener('abort', aborted, { once: true });
  try {
    while (signal?.aborted !== true && !overflow) {
      const change = waiting.shift();
      if (change !== undefined) {
        yield runChangeView(change);
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', aborted);
    stop();
  }
}
