import { createHash } from 'node:crypto';
import type { ResolvedJob } from './resolved-config.ts';

/**
 * The hash of a job file as the cluster compares it: SHA-256 over its jobs' names and per-job
 * hashes (`configHash`), sorted by name, as 16 hex characters. Two nodes run the same jobs the same
 * way exactly when their hashes are equal; the order of jobs in the file, comments, monitors and
 * channels do not count, nor do secret values (a secret hashes as `***`).
 */
export function jobFileHash(jobs: readonly Pick<ResolvedJob, 'name' | 'configHash'>[]): string {
  const lines = jobs.map((job) => `${job.name}\t${job.configHash}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}
