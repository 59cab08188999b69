/**
 * The last start of a job and fan-out key (what `cooldown` measures from): shared SQL read
 * through the partial expression index `runs_last_start` (migration 019), one index walk per key.
 * Only runs planned with a cooldown (`cooldown_ms` set) count: the index holds no other run.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { invalid } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import type { RunKey } from '../overview-records.ts';
import type { RunStart } from '../store.ts';

/**
 * A run's start: when it started, or for a pending run when it is due. Written as in the index
 * and its WHERE literal, because SQLite uses an expression and partial index only then.
 */
const startOf = sql<
  number | null
>`(CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END)`;
const counted = sql<boolean>`cooldown_ms IS NOT NULL AND attempt = 1 AND status <> 'held' AND status <> 'skipped'`;

/** The latest start per key, in the order given; keys whose runs never started are left out. */
export async function lastRunStarts(db: Kysely<Database>, keys: readonly RunKey[]): Promise<RunStart[]> {
  const starts: RunStart[] = [];
  for (const key of keys) {
    if (typeof key.job !== 'string' || key.job === '') throw invalid('job', 'a job name', key.job);
    if (typeof key.fanKey !== 'string') throw invalid('fanKey', 'a fan-out key', key.fanKey);
    const row = await db
      .selectFrom('runs')
      .select(startOf.as('started'))
      .where('job', '=', key.job)
      .where('fan_key', '=', key.fanKey)
      .where(counted)
      .where(sql<boolean>`${startOf} IS NOT NULL`)
      .orderBy(startOf, 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row?.started !== undefined && row.started !== null)
      starts.push({ job: key.job, fanKey: key.fanKey, startedAt: Number(row.started) });
  }
  return starts;
}
