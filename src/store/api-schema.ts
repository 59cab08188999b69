/**
 * The tables migration 002 adds (API tokens, the audit log), as Kysely sees them. Kept beside
 * `schema.ts` rather than in it; queries add them with `db.withTables<ApiTables>()`.
 */
import type { Generated } from 'kysely';

export interface ApiTokensTable {
  id: string;
  name: string;
  hash: string;
  scope: string;
  jobs_json: string;
  created_at: number;
  created_by: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details_json: string;
}

// A type alias, not an interface: `withTables` needs an index-compatible record type.
export type ApiTables = {
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
};
