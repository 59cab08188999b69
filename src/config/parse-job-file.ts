import type { z } from 'zod';
import type { JobFileKinds } from './job-file-kinds.ts';
import { jobFileFrameFor, jobFileSchemaFor, jobSchemaParts, namePattern } from './job-file-schema.ts';
import type { JobEntry, JobFile } from './job-file-schema.ts';

/**
 * Validates a job file's data as `jobFileSchemaFor(kinds).safeParse` does, with the same result,
 * quicker for a file of many jobs. The job schema lists ~50 optional keys and the strict object
 * checks every one of them for every job (0.4-0.6 s of a 100,000-job file's start-up, most jobs
 * having two or three keys): here each value a job has is checked by its key's schema (the same
 * key schemas, written in the same order, then the same check of the job's kind). Absent optional
 * keys add nothing to the output, so the output is the same. A key's schema is a function of the
 * value alone, so a scalar value met again under the same key (a schedule or a command that many
 * jobs share) takes the output of its first check when that output is a scalar too; outputs that
 * are objects (a secret, a list) are made anew for each job, as the schema would. The kind's check
 * reads only which keys have a value, so it runs once per set of keys that all have one.
 *
 * Should anything fail (the file's frame, a key no job has, a job that is not a mapping, any
 * value's check, the kind's check), the data is validated again by the whole schema, whose issues
 * are the ones reported: a file with a problem gets the same messages, paths and order as always.
 */
export function parseJobFile(data: unknown, kinds: JobFileKinds): z.ZodSafeParseResult<JobFile> {
  return quickParse(data, kinds) ?? jobFileSchemaFor(kinds).safeParse(data);
}

/** Distinct sets of keys whose order is remembered; others are ordered again for each job. */
const maxKeySets = 256;

interface JobSchemas {
  readonly shape: Readonly<Record<string, z.ZodType>>;
  readonly checkKinds: ReturnType<typeof jobSchemaParts>['checkKinds'];
  /** The sets of a job's keys, by its keys in the order written, joined by newlines. */
  readonly byKeys: Map<string, KeySet>;
}

const schemasOfKinds = new WeakMap<JobFileKinds, JobSchemas>();

type Scalar = string | number | boolean;

function quickParse(data: unknown, kinds: JobFileKinds): z.ZodSafeParseResult<JobFile> | undefined {
  const frame = jobFileFrameFor(kinds).safeParse(data);
  if (!frame.success) return undefined;
  const entries = frame.data.jobs;
  // No `jobs:` at all: the frame's output is the whole schema's (no job to check).
  if (entries === undefined) return { success: true, data: frame.data as JobFile };
  if (!isPlainObject(entries)) return undefined;
  const schemas = jobSchemas(kinds);
  // Per key, each scalar value checked so far and its scalar output; kept for this file only.
  const checked = new Map<string, Map<Scalar, Scalar>>();
  let failed = false;
  const context = { addIssue: () => void (failed = true) } as unknown as z.RefinementCtx;
  // The jobs as read stand for the output while every job is its own output (see below).
  let jobs: Record<string, unknown> | undefined;
  let last: KeySet | undefined;
  const names = Object.keys(entries);
  for (const [index, name] of names.entries()) {
    // The names as `nameSchema` checks them, without a parse per name.
    if (!namePattern.test(name)) return undefined;
    const entry = entries[name];
    if (!isPlainObject(entry)) return undefined;
    const written = Object.keys(entry);
    // Jobs one after another mostly have the same keys: the last job's set is looked at first.
    const keySet = last !== undefined && sameKeys(last.written, written) ? last : keySetOf(schemas, written);
    if (keySet === undefined) return undefined;
    last = keySet;
    // A job whose keys are written in the schema's order and whose values are their own outputs
    // is its own output: it is kept as read, and copied only from the first value that differs.
    let job: Record<string, unknown> | undefined = keySet.inOrder ? undefined : {};
    let allSet = true;
    for (const key of keySet.ordered) {
      const value = entry[key];
      const output = checkValue(schemas.shape[key] as z.ZodType, value, checked, key);
      if (output === failedCheck) return undefined;
      if (output === undefined) allSet = false;
      if (job === undefined && output !== value) job = copyBefore(entry, keySet.ordered, key);
      if (job !== undefined) job[key] = output;
    }
    // The kind's check reads only which keys have a value: once passed for a set of keys, it
    // passes for every job with a value under each of them.
    if (!allSet || keySet.kindsPass !== true) {
      schemas.checkKinds(job ?? entry, context);
      if (failed) return undefined;
      if (allSet) keySet.kindsPass = true;
    }
    if (jobs === undefined && job !== undefined)
      jobs = Object.fromEntries(names.slice(0, index).map((n) => [n, entries[n]]));
    if (jobs !== undefined) jobs[name] = job ?? entry;
  }
  // `jobs` keeps its place among the file's keys (the frame's output has them in schema order).
  return { success: true, data: { ...frame.data, jobs: (jobs ?? entries) as Record<string, JobEntry> } };
}

const failedCheck = Symbol('failed');

/** The key's schema's output for `value`, or `failedCheck`; a scalar's scalar output is remembered. */
function checkValue(
  schema: z.ZodType,
  value: unknown,
  checked: Map<string, Map<Scalar, Scalar>>,
  key: string,
): unknown {
  // -0 is left out: a Map takes it for 0, whose output may differ in sign.
  const scalar =
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && !Object.is(value, -0));
  let known = checked.get(key);
  if (scalar && known?.has(value) === true) return known.get(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) return failedCheck;
  const output: unknown = parsed.data;
  if (scalar && (typeof output === 'string' || typeof output === 'number' || typeof output === 'boolean')) {
    if (known === undefined) {
      known = new Map();
      checked.set(key, known);
    }
    known.set(value, output);
  }
  return output;
}

function jobSchemas(kinds: JobFileKinds): JobSchemas {
  let schemas = schemasOfKinds.get(kinds);
  if (schemas === undefined) {
    schemas = { ...jobSchemaParts(kinds.executors), byKeys: new Map() };
    schemasOfKinds.set(kinds, schemas);
  }
  return schemas;
}

/** A job's keys as written, in the schema's order, and what is known of jobs with them. */
interface KeySet {
  readonly written: readonly string[];
  readonly ordered: readonly string[];
  /** Whether they are written in the schema's order. */
  readonly inOrder: boolean;
  /** Set once a job with a value under each of them passed the kind's check. */
  kindsPass?: boolean;
}

/** The set of a job's keys; undefined for a key no job has. */
function keySetOf(schemas: JobSchemas, written: readonly string[]): KeySet | undefined {
  const signature = written.join('\n');
  const known = schemas.byKeys.get(signature);
  if (known !== undefined) return known;
  for (const key of written) if (!Object.hasOwn(schemas.shape, key)) return undefined;
  const present = new Set(written);
  const ordered = Object.keys(schemas.shape).filter((key) => present.has(key));
  const keySet: KeySet = { written, ordered, inOrder: sameKeys(ordered, written) };
  if (schemas.byKeys.size < maxKeySets) schemas.byKeys.set(signature, keySet);
  return keySet;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

/** A copy of the job's values under the keys before `key` (each its own output so far). */
function copyBefore(
  entry: Readonly<Record<string, unknown>>,
  ordered: readonly string[],
  key: string,
): Record<string, unknown> {
  const job: Record<string, unknown> = {};
  for (const before of ordered) {
    if (before === key) break;
    job[before] = entry[before];
  }
  return job;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // Anything unusual (no prototype, a class) is left to the whole schema.
  return Object.getPrototypeOf(value) === Object.prototype;
}
