/**
 * The tables migration 016 adds (jobs defined through the API and their versions), as Kysely
 * sees them; queries add them with `db.withTables<ApiJobTables>()`.
 */
import type { Generated } from 'kysely';

export interface ApiJobsTable {
  name: string;
  status: string;
  entry_json: string | null;
  version: number;
  updated_at: number;
  updated_by: string;
  token: string | null;
}

export interface ApiJobVersionsTable {
  id: Generated<number>;
  name: string;
  version: number;
  change: string;
  entry_json: string | null;
  at: number;
  actor: string;
  token: string | null;
}

// A type alias, not an interface: `withTables` needs an index-compatible record type.
export type ApiJobTables = {
  api_jobs: ApiJobsTable;
  api_job_versions: ApiJobVersionsTable;
};
