/**
 * The tables migration 016 adds (jobs defined through the API and their versions), as Kysely
 * sees them; part of the store's `Database` (`schema.ts`).
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
