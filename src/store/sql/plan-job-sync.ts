/**
 * What a sync of the job file changes in `jobs`, decided alike by both dialects' writers
 * (SQLite's prepared upsert in `sqlite/sync-jobs.ts`, PostgreSQL's `COPY` in
 * `postgres/sync-jobs.ts`): a job is added
 * when no row of the file's jobs has its name, rewritten when its hash changed or it had left the
 * file, left alone otherwise; a row of the file's jobs whose name is no longer there is removed.
 */
import type { JobToSync, SyncJobsResult } from '../store-records.ts';
import { invalid } from '../row-mapping.ts';

/** A stored row of a job of the file (the rows of active API jobs are not read). */
export interface StoredJobRow {
  readonly name: string;
  readonly config_hash: string;
  readonly removed_at: number | null;
}

export interface JobSyncPlan extends SyncJobsResult {
  /** The jobs to write (added and updated), in the order given. */
  readonly writes: readonly JobToSync[];
}

/** The jobs by name; throws a store input error on an empty or repeated name. */
export function checkJobsToSync(jobs: readonly JobToSync[]): Map<string, JobToSync> {
  const wanted = new Map<string, JobToSync>();
  jobs.forEach((job, index) => {
    // Read once: a job may give its name through a getter (the engine's `FileJobToSync`).
    const name = job.name;
    if (typeof name !== 'string' || name === '') throw invalid(`jobs[${index}].name`, 'a job name', name);
    if (wanted.has(name)) throw invalid(`jobs[${index}].name`, 'a name used once', name);
    wanted.set(name, job);
  });
  return wanted;
}

export function planJobSync(
  wanted: ReadonlyMap<string, JobToSync>,
  existing: ReadonlyMap<string, StoredJobRow>,
): JobSyncPlan {
  const added: string[] = [];
  const updated: string[] = [];
  const removed: string[] = [];
  const writes: JobToSync[] = [];
  for (const job of wanted.values()) {
    const current = existing.get(job.name);
    if (current === undefined) added.push(job.name);
    else if (current.config_hash !== job.configHash || current.removed_at !== null) updated.push(job.name);
    else continue;
    writes.push(job);
  }
  for (const row of existing.values()) {
    if (row.removed_at === null && !wanted.has(row.name)) removed.push(row.name);
  }
  return { added, updated, removed, unchanged: wanted.size - added.length - updated.length, writes };
}
