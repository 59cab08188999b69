/**
 * Jobs defined through the API (not the job file): the current version of each, and every
 * version ever written, a delete included. The entry is a job-file entry as JSON, validated by
 * the control layer before it reaches the store. Times are epoch milliseconds.
 */
import type { JsonValue } from './run-record.ts';

/** What a stored version did to its job. */
export const ApiJobChange = {
  created: 'created',
  updated: 'updated',
  deleted: 'deleted',
} as const;
export type ApiJobChange = keyof typeof ApiJobChange;

export function isApiJobChange(value: unknown): value is ApiJobChange {
  return typeof value === 'string' && Object.hasOwn(ApiJobChange, value);
}

/** The state of a name in `api_jobs`: a job in force, or one deleted (its versions go on). */
export const ApiJobStatus = {
  active: 'active',
  deleted: 'deleted',
} as const;
export type ApiJobStatus = keyof typeof ApiJobStatus;

/** Who writes a version: the actor's name and, when it came through the API, its token's name. */
export interface ApiJobAuthor {
  readonly at: number;
  readonly actor: string;
  readonly token?: string | null;
}

export interface PutApiJobInput extends ApiJobAuthor {
  readonly name: string;
  /** The job-file entry. The same entry as the current version writes nothing (`unchanged`). */
  readonly entry: JsonValue;
  /** Write only while the current version is this one (0: only while no job has the name). */
  readonly ifMatch?: number;
}

export interface DeleteApiJobInput extends ApiJobAuthor {
  readonly name: string;
  readonly ifMatch?: number;
}

/** A job defined through the API, at its current version. */
export interface ApiJobRecord {
  readonly name: string;
  readonly entry: JsonValue;
  readonly version: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
  readonly token: string | null;
}

/** One version of an API job as it was written; a delete has no entry. */
export interface ApiJobVersion {
  /** Grows with every version written (on any node): where a follower of changes stands. */
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly change: ApiJobChange;
  readonly entry: JsonValue | null;
  readonly at: number;
  readonly actor: string;
  readonly token: string | null;
}

/**
 * The outcome of one write. `stale`: the version was not `ifMatch` (or another writer got there
 * first); nothing was written, and `current` is the version in force (0 when there is no job).
 */
export type ApiJobWrite =
  | {
      readonly kind: 'created' | 'updated';
      readonly record: ApiJobRecord;
      /** The entry before the write (null for a created job). */
      readonly previous: JsonValue | null;
    }
  | {
      readonly kind: 'deleted';
      /** The version the delete is, with the entry it removed. */
      readonly record: ApiJobRecord;
      readonly previous: JsonValue | null;
    }
  | { readonly kind: 'unchanged'; readonly record: ApiJobRecord }
  | { readonly kind: 'absent'; readonly name: string }
  | { readonly kind: 'stale'; readonly name: string; readonly current: number };

export interface ApiJobChangesQuery {
  /** Versions with an id above this one. */
  readonly afterId: number;
  /** Also these ids (skipped before: on PostgreSQL a row may commit after one with a higher id). */
  readonly alsoIds?: readonly number[];
  /** Default 1,000, at most 10,000. */
  readonly limit?: number;
}

/** What a batch of puts did: written together, or (a job was stale) nothing at all. */
export interface ApiJobBatch {
  /** False when a job was stale: nothing of the batch was written. */
  readonly committed: boolean;
  /** Per input, in order (when not committed, what each would have done). */
  readonly writes: readonly ApiJobWrite[];
}
