/**
 * The jobs table mirrors the job file: a sync adds new jobs, rewrites those whose config hash
 * changed, and marks the ones that left as removed (their runs stay as history), as
 * `plan-job-sync.ts` decides; each dialect writes it its own way (`sqlite/sync-jobs.ts`,
 * `postgres/sync-jobs.ts`). Here: reading jobs and the pause flag, which is run-time state and
 * survives syncs. Rows of jobs defined through the API (kept by `api-job-queries.ts`) are left
 * alone by a sync.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { JobRecord } from '../store-records.ts';
import { assertTime, toJobRecord } from '../row-mapping.ts';
import type { Database } from '../schema.ts';

export async function getJob(db: Kysely<Database>, name: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst();
  return row === undefined ? undefined : toJobRecord(row);
}

export async function listJobs(db: Kysely<Database>, includeRemoved: boolean): Promise<JobRecord[]> {
  let select = db.selectFrom('jobs').selectAll();
  if (!includeRemoved) select = select.where('removed_at', 'is', null);
  return (await select.orderBy('name').execute()).map(toJobRecord);
}

export async function listPausedJobs(db: Kysely<Database>): Promise<string[]> {
  const rows = await pausedJobsQuery(db).execute();
  return rows.map((row) => row.name);
}

/**
 * The paused jobs' names, in order. The condition is written `paused`, as the partial index
 * `jobs_paused` (migration 026) says it, so both databases read the index of the paused rows.
 */
export function pausedJobsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('jobs')
    .select('name')
    .where(sql<boolean>`paused`)
    .where('removed_at', 'is', null)
    .orderBy('name');
}

export async function setJobPaused(
  db: Kysely<Database>,
  name: string,
  paused: boolean,
  at: number,
): Promise<boolean> {
  assertTime(at, 'at');
  const result = await db
    .updateTable('jobs')
    .set({ paused, updated_at: at })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
