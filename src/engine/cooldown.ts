/**
 * `cooldown`: the least time between the starts of two runs of one job and fan-out key. The
 * store is the truth, and every start of a cooldown job — the leader's fire and catch-up, a
 * chained start, a manual or API trigger, the queue's release — is decided and written under the
 * key's lock (`Store.startRunsInCooldown`), from the key's last start read inside it: two nodes
 * starting one key at once run in turn, and the second sees the first's start. Only runs planned
 * with a cooldown (`NewRun.cooldownMs`, set by `planFire`) count. A fire, a chained start or a
 * queue release inside it is recorded skipped with `cooldownSkipReason`; a manual or API trigger
 * inside it is refused (`run.cooldown`) unless forced, and a forced run says so in its creating
 * transition.
 */
import type { ResolvedJob } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { InsertRunsResult, NewRun, RunStart, StartRunsResult, Store } from '../store/index.ts';

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

function hasCooldown(job: ResolvedJob | undefined): job is ResolvedJob & { cooldownMs: number } {
  return job?.cooldownMs !== undefined && job.cooldownMs > 0;
}

function startsOf(found: readonly RunStart[]): LastStarts {
  return new Map(found.map((start) => [keyOf(start.job, start.fanKey), start.startedAt]));
}

/** The last starts of these runs' keys, for the jobs among them that have a cooldown (a view: starts decide under the lock). */
export async function readLastStarts(
  store: Store,
  runs: readonly { readonly job: string; readonly fanKey?: string }[],
  jobOf: (name: string) => ResolvedJob | undefined,
): Promise<LastStarts> {
  const keys = new Map<string, { job: string; fanKey: string }>();
  for (const run of runs) {
    if (!hasCooldown(jobOf(run.job))) continue;
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
  if (!hasCooldown(job)) return undefined;
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
function applyCooldown(
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
    if (hasCooldown(job)) starts.set(keyOf(job.name, fanKey), at);
    return run;
  });
}

/** The distinct keys of these runs. */
function keysOf(runs: readonly NewRun[]): { job: string; fanKey: string }[] {
  const keys = new Map<string, { job: string; fanKey: string }>();
  for (const run of runs)
    keys.set(keyOf(run.job, run.fanKey ?? ''), { job: run.job, fanKey: run.fanKey ?? '' });
  return [...keys.values()];
}

/** Fired or chained runs split into those of jobs with a cooldown and the rest. */
export interface CooldownRecording {
  /** The runs of cooldown jobs, recorded (those inside a cooldown as skipped). */
  readonly recorded: InsertRunsResult;
  /** The runs of jobs without a cooldown, in order: the caller inserts them its own way. */
  readonly rest: readonly NewRun[];
}

/**
 * Records the runs of scheduled fires, catch-up fires and chained starts that belong to jobs with
 * a cooldown, decided under their keys' locks in one transaction: each one inside its key's
 * cooldown is recorded skipped, saying until when. Answers the other runs untouched, for the
 * caller's batch insert (they pay no lock).
 */
export async function recordRunsInCooldown(
  store: Store,
  runs: readonly NewRun[],
  jobOf: (name: string) => ResolvedJob | undefined,
): Promise<CooldownRecording> {
  const cooled = runs.filter((run) => hasCooldown(jobOf(run.job)));
  if (cooled.length === 0) return { recorded: { inserted: [], duplicates: 0 }, rest: runs };
  const rest = runs.filter((run) => !hasCooldown(jobOf(run.job)));
  const recorded = await store.startRunsInCooldown(keysOf(cooled), (found) => ({
    runs: applyCooldown(cooled, jobOf, startsOf(found)),
  }));
  return { recorded, rest };
}

/**
 * Records a manual or API trigger's runs. For a job with a cooldown the check and the insert are
 * one step per key (`Store.startRunsInCooldown`), so a trigger and another start at once cannot
 * both pass: the trigger is refused (`run.cooldown`, naming the keys and until when) when one of
 * its runs would start inside its key's cooldown, unless `force`; a forced run records it. Other
 * jobs' triggers are plain inserts, through `insert` when given (the engine's worker queues them,
 * claiming them with the insert when it can: `Worker.queueRuns`).
 */
export async function insertTriggeredRuns(
  store: Store,
  job: ResolvedJob,
  runs: readonly NewRun[],
  now: number,
  force: boolean,
  insert: (runs: readonly NewRun[]) => Promise<InsertRunsResult> = (plain) => store.insertRuns(plain),
): Promise<InsertRunsResult> {
  if (!hasCooldown(job) || runs.length === 0) return insert(runs);
  return store.startRunsInCooldown(keysOf(runs), (found) => ({
    runs: decideTrigger(job, runs, now, force, startsOf(found)),
  }));
}

/**
 * The queue's release of waiting items (`runIds`, all of one pass) for a job with a cooldown,
 * under the job's lock: the items released together count as one start, so inside the cooldown
 * of the last one nothing is released, and `recordSkip` (a scheduled pass with items waiting)
 * records a skipped run saying until when. Answers the ids released.
 */
export async function releaseInCooldown(
  store: Store,
  job: ResolvedJob,
  runIds: readonly number[],
  options: { readonly now: number; readonly node: string; readonly recordSkip: boolean },
): Promise<StartRunsResult> {
  const { now, node, recordSkip } = options;
  return store.startRunsInCooldown([{ job: job.name, fanKey: '' }], (found) => {
    const until = cooldownUntil(job, '', now, startsOf(found));
    if (until === undefined)
      return { runs: [], ...(runIds.length === 0 ? {} : { release: { runIds, input: { at: now, node } } }) };
    if (!recordSkip) return { runs: [] };
    return {
      runs: [
        {
          job: job.name,
          trigger: 'schedule',
          scheduledAt: now,
          queuedAt: now,
          status: 'skipped',
          reason: cooldownSkipReason(until),
        },
      ],
    };
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
