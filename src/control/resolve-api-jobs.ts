import type { LoadedJobFile, ResolvedJob } from '../config/index.ts';
import { resolveJobEntry } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';

/** A stored API job as written: its name, its job-file entry and the version in force. */
export interface StoredApiJobEntry {
  readonly name: string;
  readonly entry: unknown;
  readonly version: number;
}

/** An API job resolved against a job file, at the version it was resolved from. */
export interface ApiJobInForce {
  readonly job: ResolvedJob;
  readonly version: number;
}

/** An API job left out, and why: its entry no longer resolves, or the file has a job of its name. */
export interface ApiJobLeftOut {
  readonly name: string;
  readonly version: number;
  readonly reason: string;
}

export interface ResolvedApiJobs {
  readonly inForce: readonly ApiJobInForce[];
  readonly leftOut: readonly ApiJobLeftOut[];
}

/**
 * Stored API jobs resolved against a job file as a daemon on that file resolves them
 * (`resolveJobEntry`): a name the file has stays the file's job, an entry that no longer resolves
 * (a channel it names was removed) is left out, each with its reason. Without a job file nothing
 * resolves.
 */
export function resolveApiJobs(
  entries: readonly StoredApiJobEntry[],
  jobFile: LoadedJobFile | undefined,
  fileJobs: readonly ResolvedJob[],
): ResolvedApiJobs {
  const fileNames = new Set(fileJobs.map((job) => job.name));
  const inForce: ApiJobInForce[] = [];
  const leftOut: ApiJobLeftOut[] = [];
  for (const { name, entry, version } of entries) {
    if (fileNames.has(name)) {
      leftOut.push({ name, version, reason: 'the job file has a job of this name, which stays in force' });
      continue;
    }
    if (jobFile === undefined) {
      leftOut.push({ name, version, reason: 'there is no job file to resolve it against' });
      continue;
    }
    try {
      inForce.push({ job: resolveJobEntry(jobFile, name, entry), version });
    } catch (thrown) {
      leftOut.push({
        name,
        version,
        reason: `it no longer resolves against the job file: ${coerceError(thrown).message}`,
      });
    }
  }
  return { inForce, leftOut };
}
