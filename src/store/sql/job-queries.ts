/**
 * The jobs table mirrors the job file: `syncJobs` adds new jobs, rewrites those whose config
 * hash changed, and marks the ones that left as removed (their runs stay as history), as
 * `plan-job-sync.ts` decides. PostgreSQL writes a sync its own way (`postgres/sync-jobs.ts`). The pause
 * flag is run-time state and survives syncs. Rows of jobs defined through the API (kept by
 * `api-job-queries.ts`) are left alone by a sync.
 */
import type { Kysely } from 'kysely';
import type { JobRecord, JobToSync, SyncJobsResult } from '../store-records.ts';
import { assertTime, toJobRecord } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import { checkJobsToSync, planJobSync } from './plan-job-sync.ts';
import { upsertJobRows } from './upsert-job-rows.ts';

const writeChunk = 500;

export async function syncJobs(
  db: Kysely<Database>,
  jobs: readonly JobToSync[],
  at: number,
): Promise<SyncJobsResult> {
  assertTime(at, 'at');
  const wanted = checkJobsToSync(jobs);
  return db.transaction().execute(async (trx) => {
    const existing = new Map(
      (
        await trx
          .selectFrom('jobs')
          .select(['name', 'config_hash', 'removed_at'])
          .where('name', 'not in', trx.selectFrom('api_jobs').select('name').where('status', '=', 'active'))
          .execute()
      ).map((row) => [row.name, row]),
    );
    const { writes, ...result } = planJobSync(wanted, existing);
    await upsertJobRows(trx, writes, (job) => ({
      name: job.name,
      configHash: job.configHash,
      specJson: job.specJson ?? JSON.stringify(job.spec),
      at,
    }));
    for (let start = 0; start < result.removed.length; start += writeChunk) {
      await trx
        .updateTable('jobs')
        .set({ removed_at: at, updated_at: at })
        .where('name', 'in', result.removed.slice(start, start + writeChunk))
        .execute();
    }
    return result;
  });
}

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
  const rows = await db
    .selectFrom('jobs')
    .select('name')
    .where('paused', '=', true)
    .where('removed_at', 'is', null)
    .orderBy('name')
    .execute();
  return rows.map((row) => row.name);
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
