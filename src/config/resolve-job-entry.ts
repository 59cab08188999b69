import { CronplaneError } from '../errors/index.ts';
import { ConfigError } from './config-problems.ts';
import { describeIssues } from './describe-issues.ts';
import { jobFileSchemaFor } from './job-file-schema.ts';
import type { InstanceJobEntry } from './instance-entry.ts';
import { instanceJobEntry, isInstanceEntry } from './instance-entry.ts';
import type { JobEntry } from './job-file-schema.ts';
import type { LoadedJobFile } from './load-job-file.ts';
import type { ResolvedJob } from './resolved-config.ts';
import { resolveConfig } from './resolve-config.ts';
import type { JobsBeyond } from './resolve-config.ts';
import { SharedParts } from './shared-parts.ts';

/** The parts entries resolved against one file have alike (100,000 API jobs share their schedules). */
const sharedByFile = new WeakMap<LoadedJobFile, SharedParts>();

/** One problem of a job entry, located by a JSON pointer into the entry (`/schedule`, `/retry/attempts`). */
export interface EntryProblem {
  readonly pointer: string;
  readonly message: string;
}

/**
 * Thrown when a job entry given on its own (through the API) cannot be used: every problem, each
 * located by a JSON pointer into the entry.
 */
export class JobEntryError extends CronplaneError {
  readonly problems: readonly EntryProblem[];

  constructor(name: string, problems: readonly EntryProblem[]) {
    super(
      'config.invalid-entry',
      `job "${name}": ${problems.map((problem) => `${problem.pointer}: ${problem.message}`).join('; ')}`,
      problems[0] === undefined ? {} : { location: { path: problems[0].pointer } },
    );
    this.problems = problems;
  }
}

/**
 * Resolves one job entry as if it were written in the job file `base` (its defaults, channels,
 * time zone, folder and monitors) in place of the file's own jobs: the file's schema for the entry
 * and the file's cross-checks, nothing written twice. `after:` may name the file's jobs and those
 * `jobsBeyond` knows (the jobs in force), any name when it is not given (an entry checked when it
 * was written). Throws a JobEntryError with every problem.
 */
export function resolveJobEntry(
  base: LoadedJobFile,
  name: string,
  entry: unknown,
  options: { readonly jobsBeyond?: JobsBeyond } = {},
): ResolvedJob {
  if (isInstanceEntry(entry)) {
    const made = instanceJobEntry(base, name, entry);
    if ('problems' in made) throw new JobEntryError(name, made.problems);
    try {
      return { ...resolveParsedEntry(base, name, made.entry, options), instance: made.instance };
    } catch (thrown) {
      if (!(thrown instanceof JobEntryError)) throw thrown;
      throw new JobEntryError(
        name,
        thrown.problems.map((problem) => relocated(problem, made.scheduleUse)),
      );
    }
  }
  const data = { version: 1, jobs: { [name]: entry } };
  const parsed = jobFileSchemaFor(base.kinds).safeParse(data);
  if (!parsed.success) {
    const reports = describeIssues(parsed.error.issues, data);
    throw new JobEntryError(
      name,
      reports.map((report) => ({ pointer: entryPointer(report.path, name), message: report.message })),
    );
  }
  const parsedEntry = parsed.data.jobs?.[name];
  if (parsedEntry?.template === true) {
    throw new JobEntryError(name, [
      {
        pointer: '/template',
        message: `templates are declared in ${base.file}; an instance names its template: "template": "<name>"`,
      },
    ]);
  }
  return resolveParsedEntry(base, name, parsedEntry, options);
}

/**
 * A schedule that does not parse once an instance's values are in place is the instance's doing:
 * located at the first param the schedule uses, naming the schedule.
 */
function relocated(problem: EntryProblem, use: InstanceJobEntry['scheduleUse']): EntryProblem {
  const param = use.params[0];
  if (param === undefined || !problem.pointer.startsWith('/schedule')) return problem;
  return {
    pointer: `/params/${param}`,
    message: `the template's schedule "${use.before}" becomes "${use.after}" (${problem.pointer}): ${problem.message}`,
  };
}

function resolveParsedEntry(
  base: LoadedJobFile,
  name: string,
  parsedEntry: JobEntry | undefined,
  options: { readonly jobsBeyond?: JobsBeyond },
): ResolvedJob {
  const prefix = `jobs.${name}`;
  let shared = sharedByFile.get(base);
  if (shared === undefined) {
    shared = new SharedParts(base.fileEnv);
    sharedByFile.set(base, shared);
  }
  try {
    const config = resolveConfig(
      {
        ...base,
        jobFile: { ...base.jobFile, jobs: parsedEntry === undefined ? {} : { [name]: parsedEntry } },
        locate: () => ({ line: 0, column: 0 }),
        unresolved: [],
      },
      // `after:` may name the jobs in force beyond the file's: checked when the entry is written.
      { shared, jobsBeyond: options.jobsBeyond ?? 'any' },
    );
    const job = config.jobs[0];
    if (job === undefined)
      throw new JobEntryError(name, [{ pointer: '', message: 'the entry names nothing to run' }]);
    return job;
  } catch (thrown) {
    if (!(thrown instanceof ConfigError)) throw thrown;
    throw new JobEntryError(
      name,
      thrown.problems.map((problem) => ({
        pointer: problem.path.startsWith(prefix) ? dottedToPointer(problem.path.slice(prefix.length)) : '',
        message: problem.message,
      })),
    );
  }
}

/** The pointer of a field path under `jobs.<name>` (else the entry itself). */
function entryPointer(path: readonly PropertyKey[], name: string): string {
  if (path[0] !== 'jobs' || path[1] !== name) return '';
  return path
    .slice(2)
    .map((key) => `/${escapePointer(String(key))}`)
    .join('');
}

/** `.retry.attempts` or `.schedule[1]` as `/retry/attempts`, `/schedule/1`. */
function dottedToPointer(rest: string): string {
  const keys = rest.match(/\.[^.[]+|\[\d+\]/g) ?? [];
  return keys
    .map((key) => `/${escapePointer(key.startsWith('.') ? key.slice(1) : key.slice(1, -1))}`)
    .join('');
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
