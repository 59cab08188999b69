/**
 * The job file's sync on PostgreSQL: the decision is the shared one (`sql/plan-job-sync.ts`),
 * the rows are streamed with `COPY`. A first sync of 100,000 jobs through 500-row `INSERT`s kept
 * the server 2-2.7 s of CPU parsing and planning 200 statements of 3,500 parameters; `COPY` takes
 * about 0.5 s for the same rows (docs/benchmarks.md, start-up of 100,000 file jobs).
 *
 * One transaction, which first takes `jobs` in SHARE ROW EXCLUSIVE mode: no other writer of
 * `jobs` (an API job written, a pause, another node's sync) commits between the read of the rows
 * and the writes, so a job without a row can be copied straight into the table (`COPY` has no
 * `ON CONFLICT`). Readers are not held up. A job whose row exists (its hash changed, it had left
 * the file, or an active API job has its name) is copied into a temporary table and upserted
 * from there, as the API jobs' writer's `INSERT ... ON CONFLICT` does: the pause flag and creation
 * time survive.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { coerceError } from '../../errors/index.ts';
import { assertTime } from '../row-mapping.ts';
import type { StoredJobRow } from '../sql/plan-job-sync.ts';
import { checkJobsToSync, planJobSync } from '../sql/plan-job-sync.ts';
import type { JobToSync, SyncJobsResult } from '../store-records.ts';
import { arrayLiteral } from './array-literal.ts';
import { copyTextField } from './copy-text-field.ts';

/** Every row of `jobs`, and whether an active API job has its name (the file's sync leaves those alone). */
export const storedJobsSql = `
SELECT jobs.name, jobs.config_hash, jobs.removed_at, api_jobs.name IS NOT NULL AS api
FROM jobs LEFT JOIN api_jobs ON api_jobs.name = jobs.name AND api_jobs.status = 'active'`;

const upsertStagedSql = `
INSERT INTO jobs (name, config_hash, spec_json, paused, created_at, updated_at, removed_at)
SELECT name, config_hash, spec_json, FALSE, $1, $1, NULL FROM jobs_sync
ON CONFLICT (name) DO UPDATE SET config_hash = excluded.config_hash, spec_json = excluded.spec_json,
  updated_at = excluded.updated_at, removed_at = NULL`;

interface StoredRow extends StoredJobRow {
  readonly api: boolean;
}

/** Rows per chunk of `COPY` data: each job's spec is built only when its chunk is. */
const rowsPerChunk = 500;

export async function syncJobsPostgres(
  pool: pg.Pool,
  jobs: readonly JobToSync[],
  at: number,
): Promise<SyncJobsResult> {
  assertTime(at, 'at');
  const wanted = checkJobsToSync(jobs);
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE jobs IN SHARE ROW EXCLUSIVE MODE');
    const existing = new Map<string, StoredJobRow>();
    const apiNames = new Set<string>();
    for (const row of (await client.query<StoredRow>(storedJobsSql)).rows) {
      if (row.api) apiNames.add(row.name);
      else existing.set(row.name, row);
    }
    const { writes, ...result } = planJobSync(wanted, existing);
    const fresh: JobToSync[] = [];
    const rewritten: JobToSync[] = [];
    for (const job of writes) {
      (existing.has(job.name) || apiNames.has(job.name) ? rewritten : fresh).push(job);
    }
    if (fresh.length > 0) {
      const tail = `\tf\t${at}\t${at}\n`;
      await copyRows(
        client,
        'COPY jobs (name, config_hash, spec_json, paused, created_at, updated_at) FROM STDIN',
        fresh,
        tail,
      );
    }
    if (rewritten.length > 0) {
      await client.query(
        'CREATE TEMP TABLE jobs_sync (name TEXT NOT NULL, config_hash TEXT NOT NULL, spec_json TEXT NOT NULL) ON COMMIT DROP',
      );
      await copyRows(client, 'COPY jobs_sync (name, config_hash, spec_json) FROM STDIN', rewritten, '\n');
      await client.query(upsertStagedSql, [at]);
    }
    if (result.removed.length > 0) {
      await client.query('UPDATE jobs SET removed_at = $1, updated_at = $1 WHERE name = ANY($2::text[])', [
        at,
        arrayLiteral(result.removed),
      ]);
    }
    await client.query('COMMIT');
    return result;
  } catch (thrown) {
    failure = coerceError(thrown);
    throw failure;
  } finally {
    // A failed sync's connection is closed, not given back: the server rolls its transaction
    // back, and a `COPY` cut short leaves nothing behind on a connection the pool reuses.
    client.release(failure);
  }
}

/** Streams each job's name, hash and spec, then `tail` (the rest of its row and the line end). */
async function copyRows(client: pg.PoolClient, statement: string, jobs: readonly JobToSync[], tail: string) {
  await pipeline(Readable.from(chunks(jobs, tail)), client.query(copyFrom(statement)));
}

function* chunks(jobs: readonly JobToSync[], tail: string): Generator<string> {
  for (let start = 0; start < jobs.length; start += rowsPerChunk) {
    const end = Math.min(jobs.length, start + rowsPerChunk);
    const rows = new Array<string>(end - start);
    for (let index = start; index < end; index++) {
      const job = jobs[index] as JobToSync;
      const specJson = job.specJson ?? JSON.stringify(job.spec);
      rows[index - start] =
        `${copyTextField(job.name)}\t${copyTextField(job.configHash)}\t${copyTextField(specJson)}${tail}`;
    }
    yield rows.join('');
  }
}
