/**
 * API tokens and the audit log, in SQL both dialects share. A token's row holds its hash, never
 * the token; the caller compares hashes in constant time.
 */
import type { Kysely } from 'kysely';
import { CronplaneError } from '../../errors/index.ts';
import type {
  ApiTokenRecord,
  AuditEntry,
  AuditPage,
  ListAuditQuery,
  NewApiToken,
  NewAuditEntry,
} from '../api-records.ts';
import { ApiScope, isApiScope } from '../api-records.ts';
import type { ApiTables } from '../api-schema.ts';
import type { JsonValue } from '../run-record.ts';
import { assertTime, invalid } from '../row-mapping.ts';
import type { Database } from '../schema.ts';
import { pageLimit } from './run-queries.ts';

type ApiDatabase = Database & ApiTables;

function api(db: Kysely<Database>): Kysely<ApiDatabase> {
  return db.withTables<ApiTables>();
}

interface TokenRow {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly scope: string;
  readonly jobs_json: string;
  readonly created_at: number;
  readonly created_by: string | null;
  readonly last_used_at: number | null;
  readonly revoked_at: number | null;
}

function toTokenRecord(row: TokenRow): ApiTokenRecord {
  if (!isApiScope(row.scope)) {
    throw new CronplaneError(
      'store.corrupt',
      `API token ${row.name} has scope ${JSON.stringify(row.scope)}, which this version of cronplane does not know.`,
    );
  }
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    scope: row.scope,
    jobs: JSON.parse(row.jobs_json) as string[],
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function createApiToken(db: Kysely<Database>, token: NewApiToken): Promise<ApiTokenRecord> {
  if (typeof token.id !== 'string' || !/^[a-z0-9]{6,64}$/.test(token.id))
    throw invalid('id', 'a token id of 6-64 lowercase letters and digits', token.id);
  if (typeof token.name !== 'string' || token.name === '') throw invalid('name', 'a token name', token.name);
  if (typeof token.hash !== 'string' || !/^[0-9a-f]{64}$/.test(token.hash))
    throw invalid('hash', 'a sha256 digest in hex', '(not shown)');
  if (!isApiScope(token.scope))
    throw invalid('scope', `one of ${Object.keys(ApiScope).join(', ')}`, token.scope);
  if (!Array.isArray(token.jobs) || !token.jobs.every((job) => typeof job === 'string' && job !== ''))
    throw invalid('jobs', 'a list of job-name patterns', token.jobs);
  assertTime(token.createdAt, 'createdAt');
  return api(db)
    .transaction()
    .execute(async (trx) => {
      const taken = await trx
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', token.name)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (taken !== undefined) {
        throw new CronplaneError(
          'store.conflict',
          `An API token named "${token.name}" exists; revoke it first or choose another name.`,
          { location: { path: 'name' } },
        );
      }
      const row = {
        id: token.id,
        name: token.name,
        hash: token.hash,
        scope: token.scope,
        jobs_json: JSON.stringify(token.jobs),
        created_at: token.createdAt,
        created_by: token.createdBy ?? null,
        last_used_at: null,
        revoked_at: null,
      };
      await trx.insertInto('api_tokens').values(row).execute();
      return toTokenRecord(row);
    });
}

export async function getApiToken(db: Kysely<Database>, id: string): Promise<ApiTokenRecord | undefined> {
  const row = await api(db).selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toTokenRecord(row);
}

/** By name; revoked tokens only when asked for. */
export async function listApiTokens(
  db: Kysely<Database>,
  includeRevoked: boolean,
): Promise<ApiTokenRecord[]> {
  let select = api(db).selectFrom('api_tokens').selectAll();
  if (!includeRevoked) select = select.where('revoked_at', 'is', null);
  return (await select.orderBy('name').orderBy('created_at').execute()).map(toTokenRecord);
}

export async function revokeApiToken(db: Kysely<Database>, name: string, at: number): Promise<boolean> {
  assertTime(at, 'at');
  const result = await api(db)
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchApiToken(db: Kysely<Database>, id: string, at: number): Promise<void> {
  assertTime(at, 'at');
  await api(db).updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

function toAuditEntry(row: {
  readonly id: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details_json: string;
}): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details_json) as JsonValue,
  };
}

export async function recordAudit(db: Kysely<Database>, entry: NewAuditEntry): Promise<AuditEntry> {
  assertTime(entry.at, 'at');
  if (typeof entry.actor !== 'string' || entry.actor === '')
    throw invalid('actor', 'a token name', entry.actor);
  if (typeof entry.action !== 'string' || entry.action === '')
    throw invalid('action', 'an action', entry.action);
  const row = await api(db)
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details_json: JSON.stringify(entry.details ?? null),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuditEntry(row);
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, query: ListAuditQuery): Promise<AuditPage> {
  const limit = pageLimit(query.limit, 50, 'limit');
  let select = api(db).selectFrom('audit_log').selectAll();
  if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
  if (query.action !== undefined) select = select.where('action', '=', query.action);
  if (query.cursor !== undefined && query.cursor !== null) select = select.where('id', '<', query.cursor);
  const rows = await select
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const entries = rows.slice(0, limit).map(toAuditEntry);
  return { entries, nextCursor: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}
