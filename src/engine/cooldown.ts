/**
 * `cooldown`: the least time between the starts of two runs of one job and fan-out key. The
 * store is the truth: each decision reads the key's last start (`Store.lastRunStarts`), so every
 * node that decides — the leader firing, a node chaining or triggering, the queue's releaser —
 * sees the same runs; only runs planned with a cooldown (`NewRun.cooldownMs`, set by `planFire`)
 * count. A trigger's check and insert are one step per key. A fire, a chained start or a queue release inside it is recorded skipped
 * with `cooldownSkipReason`; a manual or API trigger inside it is refused (`run.cooldown`)
 * unless forced, and a forced run says so in its creating transition.
 */
import type { ResolvedJob } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { InsertRunsResult, NewRun, Store } from '../store/index.ts';

/** Starts of job and fan-out key (`job\0fanKey` → epoch ms), read and then kept as runs are planned. */
export type LastStarts = Map<string, number>;

function keyOf(job: string, fanKey: string): string {
  return `${job}\0${fanKey}`;
}

/** Why a fire inside the cooldown is recorded skipped: starts with `cooldown`, says until when. */
export function cooldownSkipReason(until: number): string {
  return `cooldown: the last run started less than the cooldown ago; it ends at ${new Date(until).toISOString()}`;
}

/** The reason a forced run is created with. */
export function forcedReason(until: number): string {
  return `forced inside the cooldown, which ends at ${new Date(until).toISOString()}`;
}

/** The last starts of these runs' keys, for the jobs among them that have a cooldown. */
export async function readLastStarts(
  store: Store,
  runs: readonly { readonly job: string; readonly fanKey?: string }[],
  jobOf: (name: string) => ResolvedJob | undefined,
): Promise<LastStarts> {
  const keys = new Map<string, { job: string; fanKey: string }>();
  for (const run of runs) {
    const cooldownMs = jobOf(run.job)?.cooldownMs;
    if (cooldownMs === undefined || cooldownMs <= 0) continue;
    const fanKey = run.fanKey ?? '';
    keys.set(keyOf(run.job, fanKey), { job: run.job, fanKey });
  }
  const starts: LastStarts = new Map();
  if (keys.size === 0) return starts;
  for (const start of await store.lastRunStarts([...keys.values()]))
    starts.set(keyOf(start.job, start.fanKey), start.startedAt);
  return starts;
}

/** When the cooldown of a key ends, if a run starting at `at` would be inside it. */
export function cooldownUntil(
  job: ResolvedJob,
  fanKey: string,
  at: number,
  starts: LastStarts,
): number | undefined {
  if (job.cooldownMs === undefined || job.cooldownMs <= 0) return undefined;
  const last = starts.get(keyOf(job.name, fanKey));
  if (last === undefined) return undefined;
  const until = last + job.cooldownMs;
  return at < until && at > last - job.cooldownMs ? until : undefined;
}

/**
 * Runs about to be recorded (scheduled fires, chained starts), in order: each one inside its key's
 * cooldown becomes a skipped run saying until when; each one that runs becomes its key's last
 * start for the runs after it.
 */
export function applyCooldown(
  runs: readonly NewRun[],
  jobOf: (name: string) => ResolvedJob | undefined,
  starts: LastStarts,
): NewRun[] {
  return runs.map((run): NewRun => {
    const job = jobOf(run.job);
    if (job === undefined || run.status === 'skipped' || run.status === 'held') return run;
    const fanKey = run.fanKey ?? '';
    const at = run.runAfter ?? run.scheduledAt;
    const until = cooldownUntil(job, fanKey, at, starts);
    if (until !== undefined) return { ...run, status: 'skipped', reason: cooldownSkipReason(until) };
    if (job.cooldownMs !== undefined && job.cooldownMs > 0) starts.set(keyOf(job.name, fanKey), at);
    return run;
  });
}

/**
 * Records a manual or API trigger's runs. For a job with a cooldown the check and the insert are
 * one step per key (`Store.insertRunsInCooldown`), so two triggers at once cannot both pass: the
 * trigger is refused (`run.cooldown`, naming the keys and until when) when one of its runs would
 * start inside its key's cooldown, unless `force`; a forced run records it. Other jobs' triggers
 * are plain inserts.
 */
export async function insertTriggeredRuns(
  store: Store,
  job: ResolvedJob,
  runs: readonly NewRun[],
  now: number,
  force: boolean,
): Promise<InsertRunsResult> {
  if (job.cooldownMs === undefined || job.cooldownMs <= 0 || runs.length === 0) return store.insertRuns(runs);
  const keys = [...new Set(runs.map((run) => run.fanKey ?? ''))].map((fanKey) => ({ job: job.name, fanKey }));
  return store.insertRunsInCooldown(keys, (found) => {
    const starts: LastStarts = new Map(
      found.map((start) => [keyOf(start.job, start.fanKey), start.startedAt]),
    );
    return decideTrigger(job, runs, now, force, starts);
  });
}

/** The trigger's runs given the keys' last starts: refused inside a cooldown unless forced. */
function decideTrigger(
  job: ResolvedJob,
  runs: readonly NewRun[],
  now: number,
  force: boolean,
  starts: LastStarts,
): NewRun[] {
  const inside = runs.flatMap((run) => {
    const until = cooldownUntil(job, run.fanKey ?? '', now, starts);
    return until === undefined ? [] : [{ run, until }];
  });
  if (inside.length === 0) return [...runs];
  const latest = Math.max(...inside.map((entry) => entry.until));
  if (!force) {
    const keys = inside.map((entry) => entry.run.fanKey ?? '').filter((key) => key !== '');
    throw new CronplaneError(
      'run.cooldown',
      `job "${job.name}"${keys.length === 0 ? '' : ` (${keys.join(', ')})`} is in its cooldown until ${new Date(latest).toISOString()}: ` +
        'its last run started less than the cooldown ago; wait, or force the run (API: "force": true; CLI: --force)',
      { location: { path: 'force' } },
    );
  }
  const forced = new Map(inside.map((entry) => [entry.run, entry.until]));
  return runs.map((run) => {
    const until = forced.get(run);
    return until === undefined ? run : { ...run, reason: forcedReason(until) };
  });
}
