import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isPair, isScalar, Scalar } from 'yaml';
import type { ImportedJob, ImportResult } from './import-result.ts';

export interface ImportedFileOptions {
  /** Lines for the top of the file (what was imported, by what), before the warnings. */
  readonly title?: readonly string[];
}

/**
 * The text of a commented job file for an import: `version: 1`, the environment every job shares
 * under `defaults.env`, `channels:`, and `jobs:` with each job's comments and a
 * `# from FILE:LINE` line above it. The warnings are listed in a comment block at the top, each
 * as `FILE:LINE: message (action)`. Comments are YAML comments (the `yaml` package's Document).
 */
export function writeImportedJobFile(result: ImportResult, options: ImportedFileOptions = {}): string {
  const { shared, jobs } = hoistSharedEnv(result.jobs);
  const doc = new Document({
    version: 1,
    ...(Object.keys(shared).length === 0 ? {} : { defaults: { env: shared } }),
    ...(Object.keys(result.channels).length === 0 ? {} : { channels: result.channels }),
    jobs: Object.fromEntries(jobs.map((job) => [job.name, job.entry])),
  });
  doc.commentBefore = headerLines(result, options).map(commentLine).join('\n');

  const jobMap = doc.get('jobs', true);
  if (isMap(jobMap)) {
    jobMap.items.forEach((pair, index) => {
      const job = jobs[index];
      if (!isPair(pair) || !isScalar(pair.key) || job === undefined) return;
      const line = job.source.line === null ? job.source.file : `${job.source.file}:${job.source.line}`;
      pair.key.commentBefore = [...job.comments, `from ${line}`].map(commentLine).join('\n');
      if (index > 0) pair.key.spaceBefore = true;
      if (isMap(pair.value)) {
        const schedule = pair.value.get('schedule', true);
        if (isScalar(schedule) && typeof schedule.value === 'string') schedule.type = Scalar.QUOTE_DOUBLE;
      }
    });
  }
  return doc.toString({ lineWidth: 0 });
}

function headerLines(result: ImportResult, options: ImportedFileOptions): string[] {
  const lines = [...(options.title ?? [])];
  const count = result.warnings.length;
  if (count > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(
      `${count} warning${count === 1 ? '' : 's'}: what was not carried exactly, and what was done with it`,
    );
    for (const warning of result.warnings) {
      const place = warning.line === null ? warning.file : `${warning.file}:${warning.line}`;
      lines.push(`  ${place}: ${warning.message} (${warning.action})`);
    }
  }
  if (result.alerts.length > 0) {
    lines.push('', 'alert routes the sources imply (a job file routes alerts with notify: on each job):');
    for (const alert of result.alerts) lines.push(`  ${JSON.stringify(alert)}`);
  }
  return lines;
}

/** A comment's text as the `yaml` package writes it after `#`: one space in front, none for an empty line. */
function commentLine(text: string): string {
  return text === '' ? '' : ` ${text.replaceAll('\n', ' ')}`;
}

/** The env entries every job has with the same value (two jobs or more), and the jobs without them. */
function hoistSharedEnv(jobs: readonly ImportedJob[]): {
  shared: Record<string, unknown>;
  jobs: readonly ImportedJob[];
} {
  const envOf = (job: ImportedJob) => (job.entry['env'] ?? {}) as Readonly<Record<string, unknown>>;
  const first = jobs[0];
  if (jobs.length < 2 || first === undefined) return { shared: {}, jobs };
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(envOf(first))) {
    if (jobs.every((job) => Object.hasOwn(envOf(job), key) && isDeepStrictEqual(envOf(job)[key], value)))
      shared[key] = value;
  }
  if (Object.keys(shared).length === 0) return { shared, jobs };
  return {
    shared,
    jobs: jobs.map((job) => {
      const rest = Object.fromEntries(
        Object.entries(envOf(job)).filter(([key]) => !Object.hasOwn(shared, key)),
      );
      const { env: _env, ...entry } = job.entry;
      return { ...job, entry: Object.keys(rest).length === 0 ? entry : { ...entry, env: rest } };
    }),
  };
}
