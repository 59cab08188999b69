/**
 * Jobs defined through the API, in SQL both dialects share. A write is a compare-and-set on the
 * job's version: it reads the current rows, decides per job (created, updated, unchanged, stale),
 * and writes with `WHERE version = <read>`, so a writer that raced it is caught and the whole
 * batch is read and decided again. Each version is appended to `api_job_versions`; the job's
 * row in `jobs` (pause state, the job list) follows in the same transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { CronplaneError } from '../../errors/index.ts';
import type {
  ApiJobBatch,
  ApiJobChangesQuery,
  ApiJobRecord,
  ApiJobVersion,
  ApiJobWrite,
  DeleteApiJobInput,
  PutApiJobInput,
} from '../api-job-records.ts';
import { isApiJobChange } from '../api-job-records.ts';
import type { JsonValue } from '../run-record.ts';
import { assertTime, invalid } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import { upsertJobRows } from './upsert-job-rows.ts';

/** Rows written per statement (PostgreSQL allows 65,535 parameters; SQLite 32,766). */
const chunk = 500;
/** How often a batch is read and decided again after another writer raced it. */
const attempts = 5;

interface CurrentRow {
  readonly name: string;
  readonly status: string;
  readonly entry_json: string | null;
  readonly version: number;
  readonly updated_at: number;
  readonly updated_by: string;
  readonly token: string | null;
}

/** JSON text with object keys sorted, so the same entry is the same text whatever its key order. */
export function canonicalJson(value: JsonValue): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function checkAuthor(input: { at: number; actor: string; token?: string | null }, path: string): void {
  assertTime(input.at, `${path}at`);
  if (typeof input.actor !== 'string' || input.actor === '')
    throw invalid(`${path}actor`, 'an actor name', input.actor);
  if (input.token !== undefined && input.token !== null && typeof input.token !== 'string')
    throw invalid(`${path}token`, 'a token name or null', input.token);
}

function checkIfMatch(ifMatch: unknown, path: string): void {
  if (ifMatch !== undefined && (!Number.isSafeInteger(ifMatch) || (ifMatch as number) < 0))
    throw invalid(path, 'a version (a whole number >= 0)', ifMatch);
}

function checkName(name: unknown, path: string): void {
  if (typeof name !== 'string' || name === '') throw invalid(path, 'a job name', name);
}

async function readCurrent(
  trx: Transaction<Database>,
  names: readonly string[],
): Promise<Map<string, CurrentRow>> {
  const rows = new Map<string, CurrentRow>();
  for (let start = 0; start < names.length; start += chunk) {
    const found = await trx
      .selectFrom('api_jobs')
      .selectAll()
      .where('name', 'in', names.slice(start, start + chunk))
      .execute();
    for (const row of found)
      rows.set(row.name, { ...row, version: Number(row.version), updated_at: Number(row.updated_at) });
  }
  return rows;
}

/** The version a caller's If-Match is compared with: 0 when no job has the name now. */
function versionInForce(row: CurrentRow | undefined): number {
  return row?.status === 'active' ? row.version : 0;
}

function parseEntry(text: string | null): JsonValue | null {
  return text === null ? null : (JSON.parse(text) as JsonValue);
}

/** Thrown inside a transaction when another writer changed a job between its read and its write. */
class Raced extends Error {}

async function retryRaced<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (thrown) {
      if (!(thrown instanceof Raced)) throw thrown;
      if (attempt >= attempts) {
        throw new CronplaneError(
          'store.conflict',
          `Another writer changed job "${thrown.message}" ${attempts} times while this write was decided; try again.`,
          { retryable: true },
        );
      }
    }
  }
}

/** Creates or replaces jobs, all in one transaction; none when one of them is stale. */
export async function putApiJobs(
  db: Kysely<Database>,
  inputs: readonly PutApiJobInput[],
): Promise<ApiJobBatch> {
  const names = new Set<string>();
  const texts = inputs.map((input, index) => {
    checkName(input.name, `jobs[${index}].name`);
    if (names.has(input.name))
      throw invalid(`jobs[${index}].name`, 'a name given once per batch', input.name);
    names.add(input.name);
    checkAuthor(input, `jobs[${index}].`);
    checkIfMatch(input.ifMatch, `jobs[${index}].ifMatch`);
    if (input.entry === null || typeof input.entry !== 'object' || Array.isArray(input.entry))
      throw invalid(`jobs[${index}].entry`, 'a job-file entry (an object)', input.entry);
    return canonicalJson(input.entry);
  });
  if (inputs.length === 0) return { committed: true, writes: [] };
  return retryRaced(() =>
    db.transaction().execute(async (trx) => {
      const current = await readCurrent(trx, [...names]);
      const writes: ApiJobWrite[] = [];
      let stale = false;
      const inserts: { input: PutApiJobInput; text: string }[] = [];
      const updates: { input: PutApiJobInput; text: string; row: CurrentRow }[] = [];
      inputs.forEach((input, index) => {
        const text = texts[index] as string;
        const row = current.get(input.name);
        const inForce = versionInForce(row);
        if (input.ifMatch !== undefined && input.ifMatch !== inForce) {
          stale = true;
          writes.push({ kind: 'stale', name: input.name, current: inForce });
          return;
        }
        if (row !== undefined && row.status === 'active' && row.entry_json === text) {
          writes.push({ kind: 'unchanged', record: toApiJobRecord(row) });
          return;
        }
        const version = (row?.version ?? 0) + 1;
        const active = row?.status === 'active';
        writes.push({
          kind: active ? 'updated' : 'created',
          record: recordOf(input, text, version),
          previous: active ? parseEntry(row.entry_json) : null,
        });
        if (row === undefined) inserts.push({ input, text });
        else updates.push({ input, text, row });
      });
      if (stale) return { committed: false, writes };
      await writePuts(trx, inserts, updates);
      return { committed: true, writes };
    }),
  );
}

function recordOf(input: PutApiJobInput, text: string, version: number): ApiJobRecord {
  return {
    name: input.name,
    entry: JSON.parse(text) as JsonValue,
    version,
    updatedAt: input.at,
    updatedBy: input.actor,
    token: input.token ?? null,
  };
}

async function writePuts(
  trx: Transaction<Database>,
  inserts: readonly { input: PutApiJobInput; text: string }[],
  updates: readonly { input: PutApiJobInput; text: string; row: CurrentRow }[],
): Promise<void> {
  for (let start = 0; start < inserts.length; start += chunk) {
    const part = inserts.slice(start, start + chunk);
    const inserted = await trx
      .insertInto('api_jobs')
      .values(
        part.map(({ input, text }) => ({
          name: input.name,
          status: 'active',
          entry_json: text,
          version: 1,
          updated_at: input.at,
          updated_by: input.actor,
          token: input.token ?? null,
        })),
      )
      .onConflict((conflict) => conflict.column('name').doNothing())
      .returning('name')
      .execute();
    if (inserted.length !== part.length) {
      const taken = new Set(inserted.map((row) => row.name));
      throw new Raced(part.find(({ input }) => !taken.has(input.name))?.input.name ?? '');
    }
  }
  for (const { input, text, row } of updates) {
    const result = await trx
      .updateTable('api_jobs')
      .set({
        status: 'active',
        entry_json: text,
        version: row.version + 1,
        updated_at: input.at,
        updated_by: input.actor,
        token: input.token ?? null,
      })
      .where('name', '=', input.name)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Raced(input.name);
  }
  const written = [
    ...inserts.map(({ input, text }) => ({ input, text, version: 1, change: 'created' })),
    ...updates.map(({ input, text, row }) => ({
      input,
      text,
      version: row.version + 1,
      change: row.status === 'active' ? 'updated' : 'created',
    })),
  ];
  for (let start = 0; start < written.length; start += chunk) {
    const part = written.slice(start, start + chunk);
    await trx
      .insertInto('api_job_versions')
      .values(
        part.map(({ input, text, version, change }) => ({
          name: input.name,
          version,
          change,
          entry_json: text,
          at: input.at,
          actor: input.actor,
          token: input.token ?? null,
        })),
      )
      .execute();
    // The job's row in `jobs` carries its pause state and puts it in the job list; a pause
    // survives a change of the entry.
    await upsertJobRows(trx, part, ({ input, text, version }) => ({
      name: input.name,
      configHash: `api:${version}`,
      specJson: text,
      at: input.at,
    }));
  }
}

/** Deletes a job (a version of its own); `absent` when no job has the name. */
export async function deleteApiJob(db: Kysely<Database>, input: DeleteApiJobInput): Promise<ApiJobWrite> {
  checkName(input.name, 'name');
  checkAuthor(input, '');
  checkIfMatch(input.ifMatch, 'ifMatch');
  return retryRaced(() =>
    db.transaction().execute(async (trx): Promise<ApiJobWrite> => {
      const row = (await readCurrent(trx, [input.name])).get(input.name);
      const inForce = versionInForce(row);
      if (input.ifMatch !== undefined && input.ifMatch !== inForce)
        return { kind: 'stale', name: input.name, current: inForce };
      if (row === undefined || row.status !== 'active') return { kind: 'absent', name: input.name };
      const version = row.version + 1;
      const token = input.token ?? null;
      const result = await trx
        .updateTable('api_jobs')
        .set({
          status: 'deleted',
          entry_json: null,
          version,
          updated_at: input.at,
          updated_by: input.actor,
          token,
        })
        .where('name', '=', input.name)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new Raced(input.name);
      await trx
        .insertInto('api_job_versions')
        .values({
          name: input.name,
          version,
          change: 'deleted',
          entry_json: null,
          at: input.at,
          actor: input.actor,
          token,
        })
        .execute();
      await trx
        .updateTable('jobs')
        .set({ removed_at: input.at, updated_at: input.at })
        .where('name', '=', input.name)
        .execute();
      const previous = parseEntry(row.entry_json);
      return {
        kind: 'deleted',
        record: {
          name: input.name,
          entry: previous,
          version,
          updatedAt: input.at,
          updatedBy: input.actor,
          token,
        },
        previous,
      };
    }),
  );
}

interface ApiJobRow {
  readonly name: string;
  readonly entry_json: string | null;
  readonly version: number;
  readonly updated_at: number;
  readonly updated_by: string;
  readonly token: string | null;
}

function toApiJobRecord(row: ApiJobRow): ApiJobRecord {
  return {
    name: row.name,
    entry: parseEntry(row.entry_json),
    version: Number(row.version),
    updatedAt: Number(row.updated_at),
    updatedBy: row.updated_by,
    token: row.token,
  };
}

/** The job in force with that name, or undefined (never written, or deleted). */
export async function getApiJob(db: Kysely<Database>, name: string): Promise<ApiJobRecord | undefined> {
  const row = await db
    .selectFrom('api_jobs')
    .select(['name', 'entry_json', 'version', 'updated_at', 'updated_by', 'token'])
    .where('name', '=', name)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row === undefined ? undefined : toApiJobRecord(row);
}

/** Every job in force, by name. */
export async function listApiJobs(db: Kysely<Database>): Promise<ApiJobRecord[]> {
  const rows = await db
    .selectFrom('api_jobs')
    .select(['name', 'entry_json', 'version', 'updated_at', 'updated_by', 'token'])
    .where('status', '=', 'active')
    .orderBy('name')
    .execute();
  return rows.map(toApiJobRecord);
}

interface VersionRow {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly change: string;
  readonly entry_json: string | null;
  readonly at: number;
  readonly actor: string;
  readonly token: string | null;
}

function toApiJobVersion(row: VersionRow): ApiJobVersion {
  if (!isApiJobChange(row.change)) {
    throw new CronplaneError(
      'store.corrupt',
      `Version ${row.version} of API job ${row.name} has change ${JSON.stringify(row.change)}, which this version of cronplane does not know.`,
    );
  }
  return {
    id: Number(row.id),
    name: row.name,
    version: Number(row.version),
    change: row.change,
    entry: parseEntry(row.entry_json),
    at: Number(row.at),
    actor: row.actor,
    token: row.token,
  };
}

/** Every version of the job, newest first (empty when the name was never written). */
export async function listApiJobVersions(db: Kysely<Database>, name: string): Promise<ApiJobVersion[]> {
  const rows = await db
    .selectFrom('api_job_versions')
    .selectAll()
    .where('name', '=', name)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toApiJobVersion);
}

/** Versions written after `afterId` (and those of `alsoIds`), by id. */
export async function readApiJobChanges(
  db: Kysely<Database>,
  query: ApiJobChangesQuery,
): Promise<ApiJobVersion[]> {
  if (!Number.isSafeInteger(query.afterId) || query.afterId < 0)
    throw invalid('afterId', 'a whole number >= 0', query.afterId);
  const limit = query.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000)
    throw invalid('limit', 'a whole number from 1 to 10000', limit);
  const also = query.alsoIds ?? [];
  if (also.length > 1000 || !also.every((id) => Number.isSafeInteger(id)))
    throw invalid('alsoIds', 'at most 1000 ids', also.length);
  const versions = db.selectFrom('api_job_versions').selectAll();
  const after = await versions.where('id', '>', query.afterId).orderBy('id').limit(limit).execute();
  const late =
    also.length === 0
      ? []
      : await versions
          .where('id', 'in', [...also])
          .orderBy('id')
          .execute();
  return [...late, ...after].map(toApiJobVersion);
}

/** The newest version's id (0 when none): where a follower of changes starts. */
export async function lastApiJobChangeId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('api_job_versions')
    .select((eb) => eb.fn.max('id').as('last'))
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}
